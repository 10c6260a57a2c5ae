import { NotFoundException } from '@nestjs/common';
import { AuthUser } from './auth-user';
import { canAccessCompany, resolveCompanyScope } from './company-scope';
import { Role } from './roles';

const admin: AuthUser = { userId: 'u-admin', companyId: 'company-a', role: Role.PracticeAdmin };
const superAdmin: AuthUser = { userId: 'u-root', companyId: 'ledgerline', role: Role.SuperAdmin };

describe('resolveCompanyScope', () => {
  it("uses the caller's own company when none is named", () => {
    expect(resolveCompanyScope(admin)).toBe('company-a');
    expect(resolveCompanyScope(admin, '')).toBe('company-a');
    expect(resolveCompanyScope(superAdmin, undefined)).toBe('ledgerline');
  });

  it('accepts naming your own company', () => {
    expect(resolveCompanyScope(admin, 'company-a')).toBe('company-a');
  });

  it("answers another company's resources as not found, for every role but super admin", () => {
    for (const role of [Role.PracticeAdmin, Role.Accountant, Role.Client]) {
      expect(() => resolveCompanyScope({ ...admin, role }, 'company-b')).toThrow(NotFoundException);
    }
  });

  it('lets a super admin act on any company', () => {
    expect(resolveCompanyScope(superAdmin, 'company-b')).toBe('company-b');
  });

  it('refuses a malformed company id as not found, even for a super admin', () => {
    expect(() => resolveCompanyScope(superAdmin, '../etc')).toThrow(NotFoundException);
  });

  it('canAccessCompany follows the same rule', () => {
    expect(canAccessCompany(admin, 'company-a')).toBe(true);
    expect(canAccessCompany(admin, 'company-b')).toBe(false);
    expect(canAccessCompany(superAdmin, 'company-b')).toBe(true);
  });
});
