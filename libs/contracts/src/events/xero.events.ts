import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class XeroConnectionConnectedPayload {
  @IsUUID() connectionId: string;
  @IsUUID() tenantId: string;
  @IsString() @IsNotEmpty() organisationName: string;
  @IsString() @IsNotEmpty() connectedBy: string;
}

export class XeroConnectionDisconnectedPayload {
  @IsUUID() connectionId: string;
  @IsUUID() tenantId: string;
  @IsString() @IsNotEmpty() disconnectedBy: string;
}

export const CONNECTION_EXPIRY_REASONS = ['refresh_token_expired', 'revoked', 'invalid_grant'] as const;

export class XeroConnectionExpiredPayload {
  @IsUUID() connectionId: string;
  @IsUUID() tenantId: string;
  @IsIn(CONNECTION_EXPIRY_REASONS) reason: (typeof CONNECTION_EXPIRY_REASONS)[number];
  @IsOptional() @IsString() @MaxLength(500) detail?: string;
}

/** One event from a verified Xero webhook delivery, already resolved to its company. */
export class XeroWebhookReceivedPayload {
  @IsUUID() tenantId: string;
  @IsIn(['CONTACT', 'INVOICE']) eventCategory: 'CONTACT' | 'INVOICE';
  @IsIn(['CREATE', 'UPDATE']) eventType: 'CREATE' | 'UPDATE';
  @IsUUID() resourceId: string;
  @IsISO8601() eventDateUtc: string;
}
