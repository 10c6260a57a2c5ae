import { Failure, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { ElementAnswer, Operation, OperationKind, OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { XeroContactsGateway } from '../contact-sync/xero-contacts.gateway';
import { ContactChanges } from './contact-changes.service';
import { ContactPullRecords } from './contact-pull.repository';
import { afterPage, ContactPullBody, modifiedSince, PullProgress } from './domain/pull-plan';
import { PulledContact } from './domain/pulled-contact';

/** What a page's operation keeps as its result: where the page read from and what it found, not the contacts. */
export interface ContactPullSummary {
  /** The instant this run reads from (absent on a first import). */
  since?: string;
  count: number;
  hasMore: boolean;
  newest?: string;
}

export interface ContactPullResult extends ContactPullSummary {
  /** The page's contacts, for `succeeded`; left out of the stored result (they become snapshots when applied). */
  contacts: PulledContact[];
}

/**
 * A page's answer, stored by the engine as its summary alone: 1,000 contacts a page would be serialised again and
 * kept in the operations table (tens of MB of JSON per 100,000 contacts, none of it ever read back).
 */
export function pageResult(summary: ContactPullSummary, contacts: PulledContact[]): ContactPullResult {
  const result: ContactPullResult = { ...summary, contacts };
  Object.defineProperty(result, 'toJSON', { value: () => summary, enumerable: false });
  return result;
}

export const PULL_TARGET = 'poll:contacts';

/**
 * One page of the organisation's contacts (If-Modified-Since from the company's checkpoint, 1,000 a page, archived
 * ones included), applied in the engine's transaction. A full page records the next page's operation; the last one
 * moves the checkpoint. Only one page is ever held, so a first import of 100,000 contacts needs no more memory than
 * a quiet poll. A read changes nothing at Xero, so a resend simply reads again.
 */
@Injectable()
export class ContactPullKind implements OperationKind<ContactPullBody, ContactPullResult> {
  readonly name = 'contact.pull';
  readonly batchSize = 1;
  private readonly logger = new Logger(ContactPullKind.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ContactPullRecords,
    private readonly xero: XeroContactsGateway,
    private readonly changes: ContactChanges,
    private readonly operations: OperationStore,
    private readonly publisher: EventPublisher,
  ) {}

  async send(companyId: string, operations: Operation<ContactPullBody>[]): Promise<ElementAnswer<ContactPullResult>[]> {
    const answers: ElementAnswer<ContactPullResult>[] = [];
    for (const { body } of operations) {
      const since = body.started ? body.since : await this.records.checkpoint(this.dataSource.manager, companyId);
      const page = await this.xero.changedPage(companyId, modifiedSince(since), body.page);
      answers.push({
        ok: true,
        result: pageResult({ ...(since ? { since } : {}), count: page.count, hasMore: page.hasMore, ...(page.newest ? { newest: page.newest } : {}) }, page.contacts),
      });
    }
    return answers;
  }

  async lookUp(_companyId: string, operations: Operation<ContactPullBody>[]): Promise<(ContactPullResult | undefined)[]> {
    return operations.map(() => undefined);
  }

  async succeeded(tx: EntityManager, operation: Operation<ContactPullBody>, result: ContactPullResult): Promise<void> {
    const { companyId, body } = operation;
    const changed = await this.changes.apply(tx, companyId, result.contacts, {
      source: 'poll',
      correlationId: operation.correlationId,
      causationId: operation.causationId,
    });
    const progress: PullProgress | undefined = body.syncId
      ? { pagesRead: (body.progress?.pagesRead ?? 0) + 1, recordsChanged: (body.progress?.recordsChanged ?? 0) + changed, errors: body.progress?.errors ?? 0 }
      : undefined;
    const next = afterPage(
      body,
      { count: result.count, hasMore: result.hasMore, ...(result.newest ? { newest: result.newest } : {}), ...(result.since ? { since: result.since } : {}) },
      progress,
    );
    if (next.kind === 'next_page') {
      await this.operations.record(tx, this, {
        companyId,
        target: operation.target,
        body: next.body,
        correlationId: operation.correlationId,
        causationId: operation.causationId,
      });
    } else {
      await this.records.advanceCheckpoint(tx, companyId, next.highWater);
    }
    if (body.syncId && progress) {
      // After every page its counts; after the last one, once more as done.
      await this.publisher.publish(tx, Topics.SyncProgress, companyId, { syncId: body.syncId, scope: 'contacts', state: 'running', ...progress }, this.origin(operation));
      if (next.kind === 'done')
        await this.publisher.publish(tx, Topics.SyncProgress, companyId, { syncId: body.syncId, scope: 'contacts', state: 'done', ...progress }, this.origin(operation));
    }
  }

  async failed(tx: EntityManager, operation: Operation<ContactPullBody>, failure: Failure): Promise<void> {
    // The checkpoint has not moved: the next run reads the same changes again.
    this.logger.warn(`company ${operation.companyId}: the contacts pull (page ${operation.body.page}) failed: ${failure.code} ${failure.messages.join('; ')}`);
    await this.publishFailed(tx, operation, failure);
  }

  /** A manual sync of a company without a connection fails now (its run is not kept waiting). */
  async waiting(tx: EntityManager, operation: Operation<ContactPullBody>, failure: Failure): Promise<void> {
    await this.publishFailed(tx, operation, failure);
  }

  private async publishFailed(tx: EntityManager, operation: Operation<ContactPullBody>, failure: Failure): Promise<void> {
    const { body } = operation;
    if (!body.syncId) return;
    await this.publisher.publish(
      tx,
      Topics.SyncProgress,
      operation.companyId,
      {
        syncId: body.syncId,
        scope: 'contacts',
        state: 'failed',
        pagesRead: body.progress?.pagesRead ?? 0,
        recordsChanged: body.progress?.recordsChanged ?? 0,
        errors: (body.progress?.errors ?? 0) + 1,
        failure: { ...failure, retriable: false },
      },
      this.origin(operation),
    );
  }

  private origin(operation: Operation<ContactPullBody>) {
    return operation.causationId ? { correlationId: operation.correlationId, causationId: operation.causationId } : { correlationId: operation.correlationId };
  }
}
