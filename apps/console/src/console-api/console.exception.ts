import { CodedException } from '@ledgerline/platform';
import { HttpStatus } from '@nestjs/common';

export enum ConsoleErrorCode {
  NotFound = 'CONSOLE_NOT_FOUND',
  DevSignInDisabled = 'DEV_SIGN_IN_DISABLED',
}

export class ConsoleException extends CodedException<ConsoleErrorCode> {}

export const CONSOLE_HTTP_STATUS: Record<ConsoleErrorCode, HttpStatus> = {
  [ConsoleErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ConsoleErrorCode.DevSignInDisabled]: HttpStatus.NOT_FOUND,
};
