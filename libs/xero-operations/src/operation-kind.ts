import { Failure } from '@ledgerline/contracts';
import { EntityManager } from 'typeorm';

/** One operation as the engine stores it and hands it back to its kind. */
export interface Operation<Body> {
  id: string;
  companyId: string;
  kind: string;
  /** The owning service's record this operation concerns (a document id, a client id). */
  target: string;
  body: Body;
  correlationId: string;
  causationId: string | null;
  /** The W3C traceparent of the trace it was recorded in; its call and outcome events continue that trace. */
  traceParent?: string | null;
}

/** What Xero said about one element of a call, in request order. */
export type ElementAnswer<Result> = { ok: true; result: Result } | { ok: false; failure: Failure };

/**
 * One kind of Xero change: a small typed handler the engine drives. The engine records, batches, leases,
 * paces, resends and records every attempt; a kind only makes the call, reads the answer, and applies it
 * to its service's records (inside the engine's transaction, with its outcome events through the outbox).
 */
export interface OperationKind<Body = unknown, Result = unknown> {
  /** A stable name, e.g. `invoice.create`; stored with every operation. */
  readonly name: string;
  /** Operations per Xero call: up to 50 for batch writes, 1 for single calls. */
  readonly batchSize: number;
  /** How long a company's first ready operation may wait for others to fill a batch (ignored for size 1). */
  readonly lingerMs?: number;

  /**
   * One call (or a short sequence of calls) for up to `batchSize` operations of one company, with no
   * database transaction open. Answers per element, in order; throws for a failure of the whole call.
   */
  send(companyId: string, operations: Operation<Body>[], idempotencyKey: string): Promise<ElementAnswer<Result>[]>;

  /**
   * Finds in Xero what an earlier attempt may have made, for operations about to be resent after the key's
   * window: the record for each operation, or undefined where Xero has none (it is then sent again).
   */
  lookUp(companyId: string, operations: Operation<Body>[]): Promise<(Result | undefined)[]>;

  /** Xero has the record: update the service's state and publish its outcome, inside `tx`. */
  succeeded(tx: EntityManager, operation: Operation<Body>, result: Result): Promise<void>;

  /** The operation cannot succeed as it stands: record why and publish the failure, inside `tx`. */
  failed(tx: EntityManager, operation: Operation<Body>, failure: Failure): Promise<void>;

  /** A transient failure; the operation will be resent (optional: show why, inside `tx`). */
  retrying?(tx: EntityManager, operation: Operation<Body>, failure: Failure): Promise<void>;

  /** The company has no usable Xero connection: the operation waits for one (optional: record it, inside `tx`). */
  waiting?(tx: EntityManager, operation: Operation<Body>, failure: Failure): Promise<void>;

  /** The Xero id an answer carries, for the sync log. */
  xeroIdOf?(result: Result): string | undefined;
}

export const OPERATION_KINDS = Symbol('OPERATION_KINDS');
