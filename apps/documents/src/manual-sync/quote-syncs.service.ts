import { LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { OperationStore } from '@ledgerline/xero-operations';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { QuotePollKind } from '../quotes/quote-poll.kind';

/**
 * sync.requested for quotes: the company's quote poll runs now, from the watch's stored mark, as a quote.poll
 * operation carrying the sync id; the kind announces each page it read and then the end.
 */
@Injectable()
export class QuoteSyncs {
  constructor(
    private readonly operations: OperationStore,
    private readonly pollKind: QuotePollKind,
  ) {}

  /** Returns whether a poll was recorded (so the engine is nudged). Other scopes are other services'. */
  async requested(tx: EntityManager, event: LedgerlineEvent<typeof Topics.SyncRequested>): Promise<boolean> {
    const { companyId, payload } = event;
    if (payload.scope !== 'quotes') return false;
    const [watch]: { modified_since: Date | null }[] = await tx.query(`SELECT "modified_since" FROM ${Tables.quoteWatch} WHERE "company_id" = $1`, [companyId]);
    await this.operations.record(tx, this.pollKind, {
      companyId,
      target: companyId,
      body: { modifiedSince: watch?.modified_since ? new Date(watch.modified_since).getTime() : null, sync: { syncId: payload.syncId } },
      correlationId: event.correlationId,
      causationId: event.id,
    });
    return true;
  }
}
