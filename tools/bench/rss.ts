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
