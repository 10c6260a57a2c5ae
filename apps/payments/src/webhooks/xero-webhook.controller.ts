import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PaymentsConfig } from '../config/payments.config';
import { parseWebhookBatch } from './domain/webhook-batch';
import { isValidWebhookSignature } from './domain/webhook-signature';
import { WebhookDeliveries } from './webhook-deliveries.store';
import { webhookRequests } from './webhook-metrics';
import { WebhookProcessor } from './webhook-processor.service';

/**
 * The one Xero webhook endpoint. It checks the signature, stores the delivery and answers; what the events
 * mean is worked out afterwards by the processor, so Xero gets its answer well within its 5 seconds and a
 * crash after the answer loses nothing.
 */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class XeroWebhookController {
  private readonly logger = new Logger(XeroWebhookController.name);

  constructor(
    @Inject(PaymentsConfig) private readonly config: PaymentsConfig,
    private readonly deliveries: WebhookDeliveries,
    private readonly processor: WebhookProcessor,
  ) {}

  @Post('xero')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Xero’s webhooks (called by Xero): signed with the webhook key, stored, answered within 5 s',
    description: 'No bearer auth: `x-xero-signature` (base64 HMAC-SHA256 of the raw body with XERO_WEBHOOK_KEY) authenticates the call. Every answer has an empty body.',
  })
  @ApiHeader({ name: 'x-xero-signature', required: true, description: 'base64 HMAC-SHA256 of the raw body with the webhook key' })
  @ApiBody({
    description: 'Xero’s batch: `events`, `firstEventSequence`, `lastEventSequence`, `entropy` (intent to receive: no events)',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiResponse({ status: 200, description: 'Stored (or the intent to receive passed); empty body' })
  @ApiResponse({ status: 400, description: 'Correctly signed but not Xero’s shape; empty body' })
  @ApiResponse({ status: 401, description: 'The signature is missing or does not match the body; empty body' })
  @ApiResponse({ status: 413, description: 'The body is over WEBHOOK_MAX_BODY_BYTES; empty body' })
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header('x-xero-signature');
    if (!isValidWebhookSignature(rawBody, this.config.XERO_WEBHOOK_KEY, signature)) {
      webhookRequests.inc({ result: 'bad_signature' });
      this.logger.warn(`Xero webhook refused: ${signature ? 'the signature does not match the body' : 'no x-xero-signature header'} (${rawBody.length} bytes)`);
      res.status(401).end();
      return;
    }
    const parsed = parseWebhookBatch(rawBody);
    if (!parsed.ok) {
      webhookRequests.inc({ result: 'malformed' });
      this.logger.warn(`Xero webhook refused with 400, correctly signed but not Xero's shape: ${parsed.reason}`);
      res.status(400).end();
      return;
    }
    // Intent to receive (and any empty batch): nothing to keep, only the signature check to pass.
    if (parsed.batch.events.length === 0) {
      webhookRequests.inc({ result: 'intent' });
      res.status(200).end();
      return;
    }
    const id = await this.deliveries.store(parsed.batch);
    webhookRequests.inc({ result: 'accepted' });
    this.logger.log(
      `Xero webhook delivery ${id} stored: ${parsed.batch.events.length} event(s), sequence ${parsed.batch.firstEventSequence}-${parsed.batch.lastEventSequence}`,
    );
    res.status(200).end();
    this.processor.nudge();
  }
}
