import { Type } from 'class-transformer';
import { IsArray, IsEmail, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Address, FailureDetail, IsIdentifier } from './common';

/** A client (customer or supplier) was created or changed in the publishing system. */
export class ClientUpsertedPayload {
  @IsIdentifier('clientId') clientId: string;
  @IsString() @IsNotEmpty() @MaxLength(255) name: string;
  @IsOptional() @IsString() @MaxLength(255) firstName?: string;
  @IsOptional() @IsString() @MaxLength(255) lastName?: string;
  @IsOptional() @IsEmail() @MaxLength(255) email?: string;
  @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @IsOptional() @IsString() @MaxLength(50) taxNumber?: string;
  @IsOptional() @IsString() @MaxLength(50) accountNumber?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  address?: Address;

  /** When the client last changed at its source; older updates never overwrite newer ones. */
  @IsISO8601({ strict: true }) updatedAt: string;
}

/** Another service needs this client's Xero contact (e.g. an invoice waits for it). */
export class ContactSyncRequestedPayload {
  @IsIdentifier('clientId') clientId: string;
  @IsOptional() @IsString() @MaxLength(255) reason?: string;
}

export const CONTACT_SYNC_ACTIONS = ['created', 'updated', 'matched', 'unchanged'] as const;

export class ContactSyncedPayload {
  @IsIdentifier('clientId') clientId: string;
  @IsUUID() xeroContactId: string;
  @IsString() @IsNotEmpty() contactName: string;
  @IsIn(CONTACT_SYNC_ACTIONS) action: (typeof CONTACT_SYNC_ACTIONS)[number];
}

export class ContactSyncFailedPayload {
  @IsIdentifier('clientId') clientId: string;

  @ValidateNested()
  @Type(() => FailureDetail)
  failure: FailureDetail;
}

export const CONTACT_STATUSES = ['ACTIVE', 'ARCHIVED', 'GDPRREQUEST'] as const;
export const CONTACT_CHANGED_FIELDS = ['name', 'firstName', 'lastName', 'emailAddress', 'taxNumber', 'accountNumber', 'phone', 'address', 'status', 'mergedTo'] as const;

/**
 * A contact changed in Xero (by a Xero user), seen through a webhook or an incremental pull. With `clientId` it is a
 * linked client's contact; without, a contact no client is linked to (the business system may adopt it). Never sent
 * for a change Ledgerline wrote itself.
 */
export class ContactChangedPayload {
  @IsUUID() xeroContactId: string;
  @IsOptional() @IsIdentifier('clientId') clientId?: string;
  @IsString() @IsNotEmpty() name: string;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @IsString() phone?: string;
  @IsIn(CONTACT_STATUSES) status: (typeof CONTACT_STATUSES)[number];
  @IsISO8601({ strict: true }) updatedAt: string;
  @IsOptional() @IsString() @MaxLength(255) firstName?: string;
  @IsOptional() @IsString() @MaxLength(255) lastName?: string;
  @IsOptional() @IsString() @MaxLength(50) taxNumber?: string;
  @IsOptional() @IsString() @MaxLength(50) accountNumber?: string;
  @IsOptional() @ValidateNested() @Type(() => Address) address?: Address;
  @IsOptional() @IsString() @MaxLength(50) contactNumber?: string;
  /** Which fields this change is about (Xero's values that Ledgerline took). */
  @IsOptional() @IsArray() @IsIn(CONTACT_CHANGED_FIELDS, { each: true }) changedFields?: (typeof CONTACT_CHANGED_FIELDS)[number][];
  /** The contact was merged into another in Xero: the client's link moved from `xeroContactId` to this surviving one. */
  @IsOptional() @IsUUID() mergedIntoXeroContactId?: string;
}
