import { readFileSync } from 'node:fs';

/** A process's resident memory now, in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; `mark` remembers the RSS at a named moment. */
export function sampleRss(pid: number, everyMs = 100) {
  const marks: Record<string, number> = { start: rssMb(pid) };
  let peak = marks['start'];
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), everyMs);
  return {
    mark(name: string): void {
      marks[name] = rssMb(pid);
      peak = Math.max(peak, marks[name]);
    },
    stop(): { marks: Record<string, number>; peak: number } {
      clearInterval(timer);
      marks['end'] = rssMb(pid);
      return { marks, peak: Math.max(peak, marks['end']) };
    },
  };
}

/** Where a service's memory is, from its own /metrics (prom-client's process and Node.js figures), in MB. */
export interface MemoryBreakdown {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

export async function memoryBreakdown(serviceUrl: string): Promise<MemoryBreakdown> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  const mb = (metric: string) => Number(new RegExp(`^${metric} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    rss: mb('process_resident_memory_bytes'),
    heapTotal: mb('nodejs_heap_size_total_bytes'),
    heapUsed: mb('nodejs_heap_size_used_bytes'),
    external: mb('nodejs_external_memory_bytes'),
  };
}

export const describeMemory = (m: MemoryBreakdown): string =>
  `RSS ${m.rss.toFixed(0)} MB: V8 heap ${m.heapTotal.toFixed(0)} MB (${m.heapUsed.toFixed(0)} used), external ${m.external.toFixed(0)} MB, the rest ${(m.rss - m.heapTotal - m.external).toFixed(0)} MB`;
