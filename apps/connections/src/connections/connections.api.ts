import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONNECTION_STATUSES, ConnectionStatus } from './entities/xero-connection.entity';
import type { ConnectionView, TokenHealth } from './connection-view';
import type { OrganisationSharingView } from './organisation-sharing.service';
import type { XeroCleanup } from './connections.service';

/** The API description's shapes of what the connections REST API answers (the views themselves are built in connection-view.ts). */

export class AuthorizeUrlBody {
  @ApiProperty({ description: 'Xero’s authorize URL, with state and PKCE; send the admin’s browser there', format: 'uri' })
  authorizeUrl: string;

  @ApiProperty({ description: 'When the state stops being accepted', format: 'date-time' })
  expiresAt: string;
}

export class TenantChoiceBody {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() organisationName: string;
}

export class TokenHealthBody implements TokenHealth {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) accessTokenExpiresAt: string | null;
  @ApiProperty() accessTokenExpired: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRefreshedAt: string | null;
  @ApiProperty() refreshCount: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) refreshTokenIssuedAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) refreshTokenAgeDays: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Days before Xero forgets an unused refresh token' }) refreshTokenDaysLeft: number | null;
}

/** A connection as API consumers see it: never a token. */
export class ConnectionBody implements ConnectionView {
  @ApiProperty() companyId: string;
  @ApiProperty() connected: boolean;
  @ApiProperty({ enum: [...CONNECTION_STATUSES, 'not_connected'] }) status: ConnectionStatus | 'not_connected';
  @ApiPropertyOptional({ format: 'uuid' }) connectionId?: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) tenantId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) organisationName?: string | null;
  @ApiPropertyOptional() connectedBy?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) connectedAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'invalid_grant' }) statusReason?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why the connection is in this state, in words' }) statusDetail?: string | null;
  @ApiPropertyOptional({ format: 'date-time' }) statusChangedAt?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) disconnectedBy?: string | null;
  @ApiPropertyOptional({ type: [TenantChoiceBody], description: 'While the admin still has to choose among several granted organisations' })
  tenantsToChooseFrom?: TenantChoiceBody[];
  @ApiPropertyOptional({ type: TokenHealthBody }) tokenHealth?: TokenHealthBody;
}

export class TenantChosenBody extends ConnectionBody {
  @ApiProperty({ description: 'Granted organisations not chosen, whose Xero connections were removed' }) organisationsRemoved: number;
}

export class XeroCleanupBody implements XeroCleanup {
  @ApiProperty() organisationsRemoved: number;
  @ApiProperty({ description: 'Organisation connections left at Xero because another Ledgerline connection still uses them' }) organisationsKept: number;
  @ApiProperty() grantRevoked: boolean;
  @ApiProperty({ enum: [true], description: 'This company’s tokens are deleted whatever Xero answered' }) tokensDeleted: true;
  @ApiProperty({ description: 'What was done at Xero and what was left, and why' }) detail: string;
}

export class DisconnectedBody extends ConnectionBody {
  @ApiProperty({ type: XeroCleanupBody }) xero: XeroCleanupBody;
}

export class OrganisationSharingBody implements OrganisationSharingView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() sharingAllowed: boolean;
  @ApiProperty({ type: String, nullable: true }) allowedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) allowedAt: string | null;
  @ApiProperty({ description: 'Current connections (any company) on the organisation' }) connections: number;
}

export class IssuedAccessTokenBody {
  @ApiProperty({ description: 'A short-lived Xero access token (never the refresh token)' }) accessToken: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}
