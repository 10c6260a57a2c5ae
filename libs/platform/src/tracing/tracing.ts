import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * OpenTelemetry for a service process, in two steps. `installTracing` runs before anything else is loaded
 * (main.ts imports `@ledgerline/platform/tracing` first): the HTTP, pg, kafkajs and pino instrumentations
 * have to patch those modules before the first `require` of them. `startTracing` runs once the service's
 * definition is known, and gives the spans their service name and the OTLP/HTTP exporter.
 *
 * Without OTEL_EXPORTER_OTLP_ENDPOINT neither step does anything: no SDK is even loaded, nothing is patched,
 * and no span is made, so a service that is not traced pays nothing for it.
 */
let instrumentations: Instrumentation[] | undefined;
let sdk: NodeSDK | undefined;

export const tracingWanted = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim());

/** Patches HTTP, pg, kafkajs and pino when tracing is wanted; returns whether it is. */
export function installTracing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!tracingWanted(env)) return false;
  if (instrumentations) return true;
  // Loaded only when wanted, so an untraced service never loads the SDK.
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
  const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
  instrumentations = [
    new HttpInstrumentation({
      // Probes and scrapes every few seconds would drown the traces that matter.
      ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
    }),
    new PgInstrumentation({ requireParentSpan: true }),
    new KafkaJsInstrumentation(),
    // Trace and span ids go into every log line written inside a span; the lines themselves stay on stdout.
    new PinoInstrumentation({ disableLogSending: true }),
  ];
  return true;
}

/**
 * Starts exporting spans as `serviceName` (OTEL_SERVICE_NAME wins) over OTLP/HTTP with JSON bodies, to
 * `$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces`. The standard variables tune it: OTEL_EXPORTER_OTLP_HEADERS,
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_BSP_SCHEDULE_DELAY, OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!installTracing(env) || sdk) return Boolean(sdk);
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME']?.trim() || serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations,
    // Traces only: metrics are scraped from /metrics, and logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return true;
}

/** Sends the spans still buffered, for at most `timeoutMs` (a collector that is away must not hold up the exit). */
export async function stopTracing(timeoutMs = 3_000): Promise<void> {
  const running = sdk;
  sdk = undefined;
  if (!running) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([running.shutdown().catch(() => undefined), timeout]);
  clearTimeout(timer);
}
