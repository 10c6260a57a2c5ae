import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { CallsService } from '../calls/calls.service';
import { SandboxException } from '../common/sandbox.exception';
import { ApiRequest } from '../common/request-context';
import { FaultsService } from '../faults/faults.service';
import { OAuthService } from '../identity/oauth.service';
import { scopeAllows, scopesFor } from '../identity/scopes';
import { LimitsService } from './limits.service';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The front door of the tenant-scoped APIs, in Xero's order: bearer token (401), Xero-tenant-id
 * granted to the token (403), the token's scopes cover the call (401), rate limits (429 with Retry-After and X-Rate-Limit-Problem), then
 * injected faults. Limit headers go on every response; every call lands in the call log.
 */
@Injectable()
export class ApiGatewayMiddleware implements NestMiddleware {
  constructor(
    private readonly oauth: OAuthService,
    private readonly limits: LimitsService,
    private readonly faults: FaultsService,
    private readonly calls: CallsService,
  ) {}

  async use(req: ApiRequest, res: Response, next: NextFunction): Promise<void> {
    const started = Date.now();
    req.sandboxNotes = {};
    let release: (() => void) | undefined;
    res.on('close', () => {
      release?.();
      this.calls.record({
        at: new Date().toISOString(),
        method: req.method,
        path: req.originalUrl,
        endpoint: CallsService.endpointOf(req.method, req.originalUrl),
        tenantId: req.tenantId,
        clientId: req.principal?.clientId,
        status: res.writableFinished ? res.statusCode : 0,
        durationMs: Date.now() - started,
        ...req.sandboxNotes,
      });
    });
    try {
      req.principal = this.oauth.authenticate(req.headers.authorization);
      const tenantHeader = req.headers['xero-tenant-id'];
      const tenantId = (Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader)?.trim().toLowerCase();
      if (!tenantId || !this.oauth.hasTenant(req.principal, tenantId)) {
        throw new SandboxException('TENANT_FORBIDDEN', 'AuthenticationUnsuccessful');
      }
      req.tenantId = tenantId;
      if (!scopeAllows(req.principal.scopes, req.method, req.originalUrl)) {
        throw new SandboxException('SCOPE_MISSING', `The token's scopes (${req.principal.scopes.join(' ')}) do not allow ${req.method} ${req.path}: needs one of ${(scopesFor(req.method, req.originalUrl) ?? []).join(', ')}`);
      }
      let admission;
      try {
        admission = this.limits.admit(tenantId, req.principal.clientId);
      } catch (error) {
        if (error instanceof SandboxException) req.sandboxNotes.rateLimitProblem = error.details.rateLimitProblem;
        throw error;
      }
      release = admission.release;
      for (const [name, value] of Object.entries(admission.headers)) res.setHeader(name, value);
      const fault = this.faults.decide(tenantId);
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.action !== 'none') req.sandboxNotes.fault = fault.action;
      if (fault.action === 'timeout') {
        await sleep(fault.hangMs);
        req.socket.destroy();
        return;
      }
      if (fault.action === 'lost_answer') {
        // Xero carries the call out, and the answer never reaches the caller (a dropped connection, a proxy timeout).
        const socket = req.socket;
        res.end = (() => {
          socket.destroy();
          return res;
        }) as typeof res.end;
      }
      if (fault.action === 'error') {
        throw new SandboxException('INJECTED_FAULT', 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.', { faultStatus: fault.status });
      }
      if (fault.action === 'ratelimit') {
        req.sandboxNotes.rateLimitProblem = 'minute';
        throw new SandboxException('RATE_LIMITED', 'Rate limit exceeded: minute (injected)', {
          rateLimitProblem: 'minute',
          retryAfterSeconds: fault.retryAfterSeconds,
          headers: { 'Retry-After': String(fault.retryAfterSeconds), 'X-Rate-Limit-Problem': 'minute', 'X-MinLimit-Remaining': '0' },
        });
      }
      next();
    } catch (error) {
      next(error);
    }
  }
}
