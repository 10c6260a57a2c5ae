import { ForbiddenException, NotFoundException, UnauthorizedException } from '@nestjs/common';

/** The codes this library answers with; every body is `{ code, message }`. */
export const AuthErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  /** Another company's resource: reported as absent, so its existence is not revealed. */
  NotFound: 'NOT_FOUND',
} as const;

export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

export const unauthenticated = (message = 'A valid bearer token is required') =>
  new UnauthorizedException({ code: AuthErrorCode.Unauthenticated, message });

export const forbidden = (message = 'Your role does not allow this') => new ForbiddenException({ code: AuthErrorCode.Forbidden, message });

export const notFound = (message = 'Not found') => new NotFoundException({ code: AuthErrorCode.NotFound, message });
