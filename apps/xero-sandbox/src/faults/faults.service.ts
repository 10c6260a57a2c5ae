import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SandboxException } from '../common/sandbox.exception';

export interface FaultRule {
  id: string;
  /** Only calls for this organisation; all organisations when absent. */
  tenantId?: string;
  /** Share of calls (0..1) answered with errorStatus. */
  errorRate: number;
  errorStatus: number;
  /** Added to every matching call. */
  latencyMs: number;
  /** Share of calls that hang for hangMs and then have their connection dropped. */
  timeoutRate: number;
  hangMs: number;
  /** Share of calls that are carried out but whose answer is lost: the connection is dropped instead of answered. */
  lostAnswerRate: number;
  /** Share of calls answered 429 (a storm), with this Retry-After. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** How many more calls the rule may hit (unlimited when absent). */
  remaining?: number;
}

export type FaultDecision = { latencyMs: number; action: 'none' } | { latencyMs: number; action: 'error'; status: number } | { latencyMs: number; action: 'timeout'; hangMs: number } | { latencyMs: number; action: 'lost_answer' } | { latencyMs: number; action: 'ratelimit'; retryAfterSeconds: number };

/** Injected faults, evaluated for every API call after authentication and rate limiting. */
@Injectable()
export class FaultsService {
  private rules: FaultRule[] = [];
  /** Replaceable so unit tests can make the shares deterministic. */
  random: () => number = Math.random;

  add(input: Partial<FaultRule>): FaultRule {
    const rate = (name: keyof FaultRule, value: unknown) => {
      if (value === undefined) return 0;
      if (typeof value !== 'number' || value < 0 || value > 1) throw SandboxException.testApi(`${name} must be between 0 and 1`);
      return value;
    };
    const nonNegative = (name: keyof FaultRule, value: unknown, fallback: number) => {
      if (value === undefined) return fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw SandboxException.testApi(`${name} must be a non-negative number`);
      return value;
    };
    const errorStatus = nonNegative('errorStatus', input.errorStatus, 500);
    if (errorStatus < 500 || errorStatus > 599) throw SandboxException.testApi('errorStatus must be a 5xx status');
    const rule: FaultRule = {
      id: randomUUID(),
      tenantId: input.tenantId?.toLowerCase(),
      errorRate: rate('errorRate', input.errorRate),
      errorStatus,
      latencyMs: nonNegative('latencyMs', input.latencyMs, 0),
      timeoutRate: rate('timeoutRate', input.timeoutRate),
      hangMs: nonNegative('hangMs', input.hangMs, 30_000),
      lostAnswerRate: rate('lostAnswerRate', input.lostAnswerRate),
      rateLimitRate: rate('rateLimitRate', input.rateLimitRate),
      retryAfterSeconds: nonNegative('retryAfterSeconds', input.retryAfterSeconds, 60),
      remaining: input.remaining === undefined ? undefined : nonNegative('remaining', input.remaining, 0),
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules;
  }

  remove(id?: string): void {
    this.rules = id ? this.rules.filter((r) => r.id !== id) : [];
  }

  decide(tenantId: string): FaultDecision {
    let latencyMs = 0;
    for (const rule of this.rules) {
      if (rule.tenantId && rule.tenantId !== tenantId) continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      latencyMs += rule.latencyMs;
      let decision: FaultDecision | undefined;
      if (this.random() < rule.timeoutRate) decision = { latencyMs, action: 'timeout', hangMs: rule.hangMs };
      else if (this.random() < rule.lostAnswerRate) decision = { latencyMs, action: 'lost_answer' };
      else if (this.random() < rule.rateLimitRate) decision = { latencyMs, action: 'ratelimit', retryAfterSeconds: rule.retryAfterSeconds };
      else if (this.random() < rule.errorRate) decision = { latencyMs, action: 'error', status: rule.errorStatus };
      if (rule.remaining !== undefined && (decision || rule.latencyMs > 0)) rule.remaining--;
      if (decision) return decision;
    }
    return { latencyMs, action: 'none' };
  }

  reset(): void {
    this.rules = [];
  }
}
