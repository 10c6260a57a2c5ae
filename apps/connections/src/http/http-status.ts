import { HttpStatus } from '@nestjs/common';
import { ConnectionsErrorCode } from '../connections/connections.exception';
import { OAuthErrorCode } from '../oauth/oauth.exception';
import { XeroIdentityErrorCode } from '../oauth/xero-identity.exception';
import { TokenErrorCode } from '../tokens/token.exception';
import { VaultErrorCode } from '../vault/vault.exception';

/** The one place where this service's error codes become HTTP statuses. */
export const HTTP_STATUS_OF: Record<string, number> = {
  [OAuthErrorCode.StateInvalid]: HttpStatus.BAD_REQUEST,
  [OAuthErrorCode.StateReplayed]: HttpStatus.BAD_REQUEST,
  [OAuthErrorCode.StateExpired]: HttpStatus.BAD_REQUEST,
  [OAuthErrorCode.StateMismatch]: HttpStatus.BAD_REQUEST,
  [OAuthErrorCode.CodeMissing]: HttpStatus.BAD_REQUEST,
  [OAuthErrorCode.AuthorizationDenied]: HttpStatus.BAD_REQUEST,
  [OAuthErrorCode.AuthorizationFailed]: HttpStatus.BAD_REQUEST,
  [OAuthErrorCode.CodeExchangeFailed]: HttpStatus.BAD_REQUEST,
  // Shared with TokenErrorCode.NotFound (the same code).
  [ConnectionsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ConnectionsErrorCode.AlreadyActive]: HttpStatus.CONFLICT,
  [ConnectionsErrorCode.TenantChoiceNotPending]: HttpStatus.CONFLICT,
  [ConnectionsErrorCode.TenantNotGranted]: HttpStatus.BAD_REQUEST,
  [ConnectionsErrorCode.NoOrganisationGranted]: HttpStatus.BAD_REQUEST,
  [ConnectionsErrorCode.OrganisationInUse]: HttpStatus.CONFLICT,
  [TokenErrorCode.Expired]: HttpStatus.CONFLICT,
  [TokenErrorCode.Revoked]: HttpStatus.CONFLICT,
  [XeroIdentityErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [XeroIdentityErrorCode.InvalidGrant]: HttpStatus.BAD_GATEWAY,
  [XeroIdentityErrorCode.Rejected]: HttpStatus.BAD_GATEWAY,
  [VaultErrorCode.Malformed]: HttpStatus.INTERNAL_SERVER_ERROR,
  [VaultErrorCode.UnknownKey]: HttpStatus.INTERNAL_SERVER_ERROR,
  [VaultErrorCode.Tampered]: HttpStatus.INTERNAL_SERVER_ERROR,
};
