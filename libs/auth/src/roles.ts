/** The roles an accounting practice gives its people, as carried in the JWT's `role` claim. */
export const Role = {
  /** Ledgerline operators: any company, chosen per request. */
  SuperAdmin: 'super_admin',
  /** Runs the practice's own company: settings, connections. */
  PracticeAdmin: 'practice_admin',
  Accountant: 'accountant',
  Client: 'client',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ROLES: readonly Role[] = Object.values(Role);

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
