import { CodedException } from '@ledgerline/platform';

export const ConnectionsErrorCode = {
  NotFound: 'CONNECTION_NOT_FOUND',
  /** The company is connected already: disconnect first to connect another organisation. */
  AlreadyActive: 'CONNECTION_ALREADY_ACTIVE',
  /** There is no connection waiting for an organisation to be chosen. */
  TenantChoiceNotPending: 'TENANT_CHOICE_NOT_PENDING',
  /** The chosen organisation is not one the user granted. */
  TenantNotGranted: 'TENANT_NOT_GRANTED',
  /** Another company's connection uses the organisation, and a super admin has not allowed sharing it. */
  OrganisationInUse: 'ORGANISATION_IN_USE',
  /** The user completed Xero's consent without choosing any organisation. */
  NoOrganisationGranted: 'NO_ORGANISATION_GRANTED',
} as const;

export type ConnectionsErrorCode = (typeof ConnectionsErrorCode)[keyof typeof ConnectionsErrorCode];

export class ConnectionsException extends CodedException<ConnectionsErrorCode> {}
