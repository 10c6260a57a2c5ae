import { Topics } from '@ledgerline/contracts';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseWakeups } from '../database/database-wakeups';
import { KafkaConnection } from '../kafka/kafka-connection.service';
import { MessagingOptions } from '../messaging.options';
import { activeTraceParent } from '../tracing/trace-context';
import { EventPublisher } from './event-publisher.service';
import { OutboxRelay, runsByTrace } from './outbox-relay.service';

const options = { service: 'test', brokers: [], schema: 'svc', consumes: [], produces: [], maxAttempts: 3, retryBaseMs: 10 } as MessagingOptions;
const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanContext = (traceId: string, spanId: string) => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
const inTrace = <T>(traceId: string, spanId: string, work: () => T): T => context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext(traceId, spanId)), work);

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  context.disable();
  propagation.disable();
});

describe('the outbox keeps the trace an event was written in', () => {
  const transaction = () => {
    const queries: { sql: string; params: unknown[] }[] = [];
    const tx = { queryRunner: { isTransactionActive: true }, query: async (sql: string, params: unknown[]) => queries.push({ sql, params }) } as unknown as EntityManager;
    return { tx, queries };
  };
  const publisher = new EventPublisher(options, { nudge: () => undefined } as unknown as OutboxRelay);

  it('stores the active traceparent with the row', async () => {
    const { tx, queries } = transaction();
    await inTrace(TRACE_A, 'b7ad6b7169203331', () => publisher.publish(tx, Topics.ContactSyncRequested, 'acme', { clientId: 'c-1' }));
    expect(queries[0].sql).toContain('"trace_parent"');
    expect(queries[0].params[4]).toBe(`00-${TRACE_A}-b7ad6b7169203331-01`);
  });

  it('stores no traceparent for a trace that is not sampled', async () => {
    const { tx, queries } = transaction();
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, { ...spanContext(TRACE_A, 'b7ad6b7169203331'), traceFlags: TraceFlags.NONE });
    await context.with(unsampled, () => publisher.publish(tx, Topics.ContactSyncRequested, 'acme', { clientId: 'c-1' }));
    expect(queries[0].params[4]).toBeNull();
  });

  it('stores no traceparent outside a trace', async () => {
    const { tx, queries } = transaction();
    await publisher.publish(tx, Topics.ContactSyncRequested, 'acme', { clientId: 'c-1' });
    expect(queries[0].params[4]).toBeNull();
    expect(activeTraceParent()).toBeNull();
  });
});

describe('the relay publishes each row with the traceparent it was written in', () => {
  const row = (seq: number, traceParent: string | null) => ({
    seq: String(seq),
    topic: Topics.ContactSyncRequested,
    message_key: 'acme',
    payload: { id: `e-${seq}` },
    trace_parent: traceParent,
  });
  const tpA = `00-${TRACE_A}-b7ad6b7169203331-01`;
  const tpB = `00-${TRACE_B}-00f067aa0ba902b7-01`;

  function relayOver(rows: ReturnType<typeof row>[]) {
    const sent: { headers: (Record<string, string> | undefined)[]; activeTraceId: string | undefined }[] = [];
    const marked: unknown[][] = [];
    const dataSource = {
      query: async (sql: string, params: unknown[]) => {
        if (sql.startsWith('SELECT')) return rows;
        marked.push(params);
        return [];
      },
    } as unknown as DataSource;
    const kafka = {
      producer: {
        sendBatch: async (batch: { topicMessages: { messages: { headers?: Record<string, string> }[] }[] }) => {
          sent.push({ headers: batch.topicMessages.flatMap((t) => t.messages.map((m) => m.headers)), activeTraceId: trace.getSpanContext(context.active())?.traceId });
          return [];
        },
      },
    } as unknown as KafkaConnection;
    return { relay: new OutboxRelay(options, dataSource, kafka, {} as DatabaseWakeups), sent, marked };
  }

  it('sends consecutive rows of one trace together, in that trace, with its traceparent header', async () => {
    const { relay, sent, marked } = relayOver([row(1, tpA), row(2, tpA), row(3, tpB), row(4, tpA)]);
    expect(await relay.relayBatch()).toBe(4);
    expect(sent).toEqual([
      { headers: [{ traceparent: tpA }, { traceparent: tpA }], activeTraceId: TRACE_A },
      { headers: [{ traceparent: tpB }], activeTraceId: TRACE_B },
      { headers: [{ traceparent: tpA }], activeTraceId: TRACE_A },
    ]);
    expect(marked).toEqual([[['1', '2', '3', '4']]]);
  });

  it('sends untraced rows in one request without trace headers', async () => {
    const { relay, sent } = relayOver([row(1, null), row(2, null), row(3, null)]);
    await relay.relayBatch();
    expect(sent).toEqual([{ headers: [undefined, undefined, undefined], activeTraceId: undefined }]);
  });

  it('groups only neighbours, so commit order is kept', () => {
    expect(runsByTrace([row(1, tpA), row(2, null), row(3, null), row(4, tpA)]).map((run) => run.map((r) => r.seq))).toEqual([['1'], ['2', '3'], ['4']]);
  });
});
