import { Injectable } from '@nestjs/common';
import { Persistent } from '../state/persistent';

export interface ClockState {
  offsetMs: number;
}

/**
 * The sandbox's notion of "now". Tests move it forward to expire tokens, codes and limit windows
 * without waiting; everything time-dependent in the sandbox reads it instead of Date.now().
 */
@Injectable()
export class ClockService implements Persistent<ClockState> {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }

  get offset(): number {
    return this.offsetMs;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  snapshot(): ClockState {
    return { offsetMs: this.offsetMs };
  }

  restore(state: ClockState): void {
    if (!Number.isFinite(state.offsetMs) || state.offsetMs < 0) throw new RangeError('offsetMs must be a non-negative number');
    this.offsetMs = state.offsetMs;
  }
}
