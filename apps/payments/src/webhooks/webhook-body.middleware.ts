import { Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { webhookRequests } from './webhook-metrics';

export const XERO_WEBHOOK_PATH = '/v1/webhooks/xero';

/**
 * Reads the webhook's body as raw bytes, whatever its content type, because the signature covers exactly
 * those bytes. It must run before the JSON parser (the platform's configureHttp hook puts it there). A body
 * over the limit is answered 413 here, without reading the rest; compressed bodies are refused rather than
 * inflated, as the signature is over what was sent.
 */
export function rawWebhookBody(limitBytes: number): (req: Request, res: Response, next: NextFunction) => void {
  const logger = new Logger('XeroWebhookBody');
  const parse = express.raw({ type: () => true, limit: limitBytes, inflate: false });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status ?? 400;
      const result = status === 413 ? 'too_large' : 'malformed';
      webhookRequests.inc({ result });
      logger.warn(`Xero webhook refused with ${status}: ${(error as Error).message}`);
      // The rest of an oversized body is not read; close the connection rather than leave it half-read.
      if (status === 413) res.setHeader('Connection', 'close');
      res.status(status).end();
    });
  };
}
