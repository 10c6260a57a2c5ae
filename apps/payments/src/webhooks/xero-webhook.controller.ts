import { Controller, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
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
    this.logger.log(`Xero webhook delivery ${id} stored: ${parsed.batch.events.length} event(s), sequence ${parsed.batch.firstEventSequence}-${parsed.batch.lastEventSequence}`);
    res.status(200).end();
    this.processor.nudge();
  }
}
