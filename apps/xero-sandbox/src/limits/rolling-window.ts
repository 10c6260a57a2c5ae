/**
 * A rolling (sliding-log) window: a call counts against the limit for exactly windowMs after it was
 * admitted. This matches how Xero describes its limits ("60 calls in a rolling minute", "5,000 in a
 * rolling 24 hours") better than fixed buckets, which allow a double burst around a bucket edge.
 */
export class RollingWindow {
  private hits: number[] = [];

  constructor(private windowMs: number) {}

  setWindow(windowMs: number): void {
    this.windowMs = windowMs;
  }

  count(now: number): number {
    this.prune(now);
    return this.hits.length;
  }

  add(now: number): void {
    this.hits.push(now);
  }

  /** Milliseconds until the oldest counted call leaves the window (0 when the window is empty). */
  msUntilSlotFrees(now: number): number {
    this.prune(now);
    return this.hits.length === 0 ? 0 : this.hits[0] + this.windowMs - now;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.hits.length && this.hits[drop] <= cutoff) drop++;
    if (drop > 0) this.hits.splice(0, drop);
  }
}
