import { DocumentType, Failure } from '@ledgerline/contracts';
import { ElementAnswer, Operation } from '@ledgerline/xero-operations';
import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { DocumentKind } from './document-kind';
import { DocumentCancels } from '../cancels/document-cancels.service';
import { DocumentRecords } from './document-records.service';
import { DocumentEntity } from './entities/document.entity';
import { CreatedDocument } from './domain/document-outcome';

/**
 * What every document-creating kind shares: applying Xero's answer to the document record (created, failed,
 * waiting for a connection, retrying) and telling which Xero ids a company's documents already hold. A type's
 * kind adds its Xero call (`send`), its look-up and the body it builds from a request.
 */
export abstract class DocumentCreateKind<Body> implements DocumentKind<Body, CreatedDocument> {
  protected readonly logger = new Logger(this.constructor.name);
  abstract readonly name: string;
  abstract readonly documentType: DocumentType;
  abstract readonly batchSize: number;
  readonly lingerMs?: number;

  constructor(
    protected readonly records: DocumentRecords,
    protected readonly dataSource: DataSource,
    protected readonly cancels: DocumentCancels,
  ) {}

  abstract bodyFor(request: Record<string, unknown>, xeroContactId: string): Body;
  abstract send(companyId: string, operations: Operation<Body>[], idempotencyKey: string): Promise<ElementAnswer<CreatedDocument>[]>;
  abstract lookUp(companyId: string, operations: Operation<Body>[]): Promise<(CreatedDocument | undefined)[]>;

  async succeeded(tx: EntityManager, operation: Operation<Body>, result: CreatedDocument): Promise<void> {
    const document = await this.records.lock(tx, operation.companyId, operation.target);
    if (!document || !(await this.records.markCreated(tx, document, result))) return this.skipped(operation, 'created');
    // A cancel that came while the document was on its way goes to Xero now.
    await this.cancels.afterCreated(tx, document, result.xeroId);
    await this.afterCreated(tx, document, result);
  }

  /** What a type does once Xero has its document (inside the engine's transaction); nothing by default. */
  protected afterCreated(_tx: EntityManager, _document: DocumentEntity, _result: CreatedDocument): Promise<void> {
    return Promise.resolve();
  }

  async failed(tx: EntityManager, operation: Operation<Body>, failure: Failure): Promise<void> {
    const document = await this.records.lock(tx, operation.companyId, operation.target);
    if (!document || !(await this.records.markFailed(tx, document, failure))) return this.skipped(operation, 'failed');
    await this.cancels.afterFailed(tx, document);
  }

  async waiting(tx: EntityManager, operation: Operation<Body>, failure: Failure): Promise<void> {
    await this.records.markWaitingConnection(tx, operation.target, failure);
  }

  async retrying(tx: EntityManager, operation: Operation<Body>, failure: Failure): Promise<void> {
    await this.records.noteTransientFailure(tx, operation.target, failure);
  }

  xeroIdOf(result: CreatedDocument): string {
    return result.xeroId;
  }

  /**
   * The look-up every type shares, after a send whose answer may have been lost: for each draft, the records its
   * type finds in Xero that match it; the first that no document of the company holds and no earlier draft of this
   * look-up has claimed is the one the lost send made. Undefined where there is none (the draft is sent again).
   */
  protected async claimFound<R, C extends CreatedDocument>(
    companyId: string,
    operations: Operation<Body>[],
    matching: (draft: Body) => Promise<{ xeroId: string; record: R }[]>,
    created: (record: R, draft: Body) => { ok: true; result: C } | { ok: false },
  ): Promise<(C | undefined)[]> {
    const claimed = new Set<string>();
    const found: (C | undefined)[] = [];
    for (const operation of operations) {
      const candidates = await matching(operation.body);
      const recorded = await this.recordedXeroIds(companyId, candidates.map((c) => c.xeroId));
      const match = candidates.find((c) => !recorded.has(c.xeroId) && !claimed.has(c.xeroId));
      if (match) claimed.add(match.xeroId);
      const answer = match ? created(match.record, operation.body) : undefined;
      found.push(answer?.ok ? answer.result : undefined);
    }
    return found;
  }

  /** Which of these Xero ids a document of the company already holds (a look-up must not claim those). */
  private async recordedXeroIds(companyId: string, xeroIds: string[]): Promise<Set<string>> {
    if (xeroIds.length === 0) return new Set();
    const rows: { xero_id: string }[] = await this.dataSource.query(
      `SELECT "xero_id" FROM ${Tables.documents} WHERE "company_id" = $1 AND "type" = $2 AND "xero_id" = ANY($3::uuid[])`,
      [companyId, this.documentType, xeroIds],
    );
    return new Set(rows.map((r) => r.xero_id));
  }

  private skipped(operation: Operation<Body>, outcome: string): void {
    this.logger.warn(`document ${operation.target} of ${operation.companyId} no longer waits for Xero; the ${outcome} answer is not applied to it`);
  }
}
