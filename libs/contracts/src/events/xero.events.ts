import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';

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

/** The webhook categories Xero sends (PREPAYMENT and OVERPAYMENT, then PAYMENT in 2026, joined the first ones). */
export const XERO_WEBHOOK_CATEGORIES = ['INVOICE', 'CONTACT', 'CREDITNOTE', 'PAYMENT', 'PREPAYMENT', 'OVERPAYMENT', 'SUBSCRIPTION'] as const;
export type XeroWebhookCategory = (typeof XERO_WEBHOOK_CATEGORIES)[number];

export const XERO_WEBHOOK_EVENT_TYPES = ['CREATE', 'UPDATE'] as const;
export type XeroWebhookEventType = (typeof XERO_WEBHOOK_EVENT_TYPES)[number];

/** What Xero adds to some events (credit notes carry their Type and Status). */
export class XeroWebhookEventData {
  @IsOptional() @IsString() @MaxLength(50) type?: string;
  @IsOptional() @IsString() @MaxLength(50) status?: string;
}

/** One event from a verified Xero webhook delivery, already resolved to its company. */
export class XeroWebhookReceivedPayload {
  @IsUUID() tenantId: string;
  @IsIn(XERO_WEBHOOK_CATEGORIES) eventCategory: XeroWebhookCategory;
  @IsIn(XERO_WEBHOOK_EVENT_TYPES) eventType: XeroWebhookEventType;
  @IsUUID() resourceId: string;
  @IsISO8601() eventDateUtc: string;
  /** The resource's URL at Xero, as the event gave it. */
  @IsOptional() @IsString() @MaxLength(2000) resourceUrl?: string;
  @IsOptional() @ValidateNested() @Type(() => XeroWebhookEventData) data?: XeroWebhookEventData;
}
