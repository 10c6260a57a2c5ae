import { SetMetadata } from '@nestjs/common';
import { Role } from './roles';

export const ROLES_KEY = 'ledgerline:roles';

/** The roles allowed to call a handler (or every handler of a controller). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
