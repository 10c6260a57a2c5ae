import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A `contact.sync_requested` for a client not received yet, waiting for its `client.upserted`. */
export interface PendingSyncRequest {
  companyId: string;
  clientId: string;
  /** The first request's event id and correlation id: the answer continues that flow. */
  requestEventId: string;
  correlationId: string;
  firstRequestedAt: Date;
  /** How many requests for the client arrived while it was unknown. */
  requestCount: number;
}

interface Row {
  company_id: string;
  client_id: string;
  request_event_id: string;
  correlation_id: string;
  first_requested_at: Date;
  request_count: number;
}

const TABLE = '"contacts"."pending_sync_requests"';
const COLUMNS = '"company_id", "client_id", "request_event_id", "correlation_id", "first_requested_at", "request_count"';

const toRequest = (row: Row): PendingSyncRequest => ({
  companyId: row.company_id,
  clientId: row.client_id,
  requestEventId: row.request_event_id,
  correlationId: row.correlation_id,
  firstRequestedAt: row.first_requested_at,
  requestCount: row.request_count,
});

/** Parked sync requests, one per client and company. Every write runs in the caller's transaction. */
@Injectable()
export class PendingSyncRequestsRepository {
  /** Parks a request; a later one for the same client only counts, so the first request's wait and flow stand. */
  async park(tx: EntityManager, request: Pick<PendingSyncRequest, 'companyId' | 'clientId' | 'requestEventId' | 'correlationId'>): Promise<PendingSyncRequest> {
    const rows: Row[] = await tx.query(
      `INSERT INTO ${TABLE} AS p ("company_id", "client_id", "request_event_id", "correlation_id") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("company_id", "client_id") DO UPDATE SET "request_count" = p."request_count" + 1
       RETURNING ${COLUMNS}`,
      [request.companyId, request.clientId, request.requestEventId, request.correlationId],
    );
    return toRequest(rows[0]);
  }

  /** Removes and returns the request parked for this client, if any; it is answered in the same transaction. */
  async claim(tx: EntityManager, companyId: string, clientId: string): Promise<PendingSyncRequest | undefined> {
    const rows: Row[] = await tx.query(
      `WITH claimed AS (DELETE FROM ${TABLE} WHERE "company_id" = $1 AND "client_id" = $2 RETURNING ${COLUMNS}) SELECT * FROM claimed`,
      [companyId, clientId],
    );
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  /**
   * Removes and returns up to `limit` requests that have waited `waitMs` or longer, by the database's clock so
   * replicas agree. Rows another transaction holds (a replica's sweep, or the client's upsert arriving right now)
   * are skipped, not waited for.
   */
  async claimExpired(tx: EntityManager, waitMs: number, limit: number): Promise<PendingSyncRequest[]> {
    const rows: Row[] = await tx.query(
      `WITH expired AS (
         SELECT "company_id", "client_id" FROM ${TABLE}
         WHERE "first_requested_at" <= now() - make_interval(secs => $1::double precision / 1000)
         ORDER BY "first_requested_at" LIMIT $2 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         DELETE FROM ${TABLE} p USING expired e WHERE p."company_id" = e."company_id" AND p."client_id" = e."client_id" RETURNING p.*
       )
       SELECT * FROM claimed ORDER BY "first_requested_at"`,
      [waitMs, limit],
    );
    return rows.map(toRequest);
  }
}
