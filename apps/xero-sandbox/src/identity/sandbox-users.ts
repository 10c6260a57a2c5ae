import { randomUUID } from 'node:crypto';
import { SandboxException } from '../common/sandbox.exception';
import { GUID } from '../common/xero-json';

/** A Xero user: who consents, whose connections GET /connections lists, whose id the tokens carry. */
export interface SandboxUser {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
}

/** The user every consent is given as unless another one is named (the sandbox's single user before there were several). */
export const SANDBOX_USER: SandboxUser = {
  id: '5d8a3c4e-1b2f-4a6d-9e7c-0f1a2b3c4d5e',
  email: 'sandbox.user@ledgerline.test',
  givenName: 'Sandbox',
  familyName: 'User',
};

/** A new user from the test API's body; a given id must be a GUID, as Xero's user ids are. */
export function newSandboxUser(input: { userId?: unknown; email?: unknown; givenName?: unknown; familyName?: unknown }): SandboxUser {
  const text = (value: unknown, name: string, fallback: string): string => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') throw SandboxException.testApi(`${name} must be a non-empty string`);
    return value.trim();
  };
  const id = text(input.userId, 'userId', randomUUID()).toLowerCase();
  if (!GUID.test(id)) throw SandboxException.testApi('userId must be a GUID');
  return {
    id,
    email: text(input.email, 'email', `user.${id.slice(0, 8)}@ledgerline.test`),
    givenName: text(input.givenName, 'givenName', 'Sandbox'),
    familyName: text(input.familyName, 'familyName', `User ${id.slice(0, 4)}`),
  };
}
