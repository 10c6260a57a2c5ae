import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthUser } from './auth-user';
import { Role } from './roles';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

class Settings {
  @Roles(Role.SuperAdmin, Role.PracticeAdmin)
  change(): string {
    return 'changed';
  }

  unguarded(): string {
    return 'open?';
  }
}

@Roles(Role.Accountant)
class Reports {
  read(): string {
    return 'report';
  }

  @Roles(Role.Client)
  ownOnly(): string {
    return 'own report';
  }
}

function contextFor(target: object, handler: (...args: never[]) => unknown, user?: AuthUser): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => target.constructor,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

const userWith = (role: Role): AuthUser => ({ userId: 'u1', companyId: 'acme', role });
const guard = new RolesGuard(new Reflector());

describe('RolesGuard', () => {
  const settings = new Settings();

  it.each([Role.SuperAdmin, Role.PracticeAdmin])('lets %s through to a handler that allows it', (role) => {
    expect(guard.canActivate(contextFor(settings, settings.change, userWith(role)))).toBe(true);
  });

  it.each([Role.Accountant, Role.Client])('refuses %s with 403 FORBIDDEN', (role) => {
    const attempt = () => guard.canActivate(contextFor(settings, settings.change, userWith(role)));
    expect(attempt).toThrow(ForbiddenException);
    try {
      attempt();
    } catch (error) {
      expect((error as ForbiddenException).getResponse()).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('refuses a handler that declares no roles, even for a super admin', () => {
    expect(() => guard.canActivate(contextFor(settings, settings.unguarded, userWith(Role.SuperAdmin)))).toThrow(ForbiddenException);
  });

  it('answers 401 when no user was authenticated', () => {
    expect(() => guard.canActivate(contextFor(settings, settings.change))).toThrow(UnauthorizedException);
  });

  it('takes the class roles when the handler has none, and the handler roles over the class', () => {
    const reports = new Reports();
    expect(guard.canActivate(contextFor(reports, reports.read, userWith(Role.Accountant)))).toBe(true);
    expect(() => guard.canActivate(contextFor(reports, reports.read, userWith(Role.Client)))).toThrow(ForbiddenException);
    expect(guard.canActivate(contextFor(reports, reports.ownOnly, userWith(Role.Client)))).toBe(true);
    expect(() => guard.canActivate(contextFor(reports, reports.ownOnly, userWith(Role.Accountant)))).toThrow(ForbiddenException);
  });
});
