import { applyDecorators, UseGuards } from '@nestjs/common';
import { JwtAuthGuard } from './jwt-auth.guard';
import { Role } from './roles';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

/** A bearer JWT is required and the caller's role must be one of `roles` (401 without a valid token, 403 for another role). */
export const Authenticated = (...roles: Role[]) => applyDecorators(UseGuards(JwtAuthGuard, RolesGuard), Roles(...roles));
