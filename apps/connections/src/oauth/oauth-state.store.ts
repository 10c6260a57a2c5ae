import { AuthUser } from '@ledgerline/auth';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConnectionsConfig } from '../config/connections.config';
import { TokenVault } from '../vault/token-vault.service';
import { OAuthState, stateAad } from './oauth-state.entity';
import { hashState, judgeState, newStateValue, STATE_PATTERN } from './oauth-state.rules';
import { OAuthErrorCode, OAuthException } from './oauth.exception';

/** Who a connect attempt is for; passport-oauth2 hands it to the store as the `state` option. */
export interface ConnectAttempt {
  companyId: string;
  userId: string;
}

/** What the callback learns from a verified state. */
export interface VerifiedAttempt extends ConnectAttempt {
  stateId: string;
}

type StoreCallback = (error: Error | null, state?: string) => void;
type VerifyCallback = (error: Error | null, ok?: string | false, state?: VerifiedAttempt) => void;

/**
 * passport-oauth2's state store (the PKCE form: store(req, verifier, state, meta, cb) and
 * verify(req, state, meta, cb)), kept in Postgres so any replica can complete an attempt another
 * replica started. The state is stored hashed and the PKCE verifier sealed by the vault.
 */
@Injectable()
export class OAuthStateStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: TokenVault,
    @Inject(ConnectionsConfig) private readonly config: ConnectionsConfig,
  ) {}

  store(_req: unknown, verifier: string, attempt: ConnectAttempt, _meta: unknown, callback: StoreCallback): void {
    this.issue(attempt, verifier).then(
      (state) => callback(null, state),
      (error: Error) => callback(error),
    );
  }

  verify(req: { user?: AuthUser }, providedState: unknown, _meta: unknown, callback: VerifyCallback): void {
    this.consume(providedState, req.user).then(
      ({ verifier, attempt }) => callback(null, verifier, attempt),
      (error: Error) => callback(error),
    );
  }

  /** Records a new attempt; returns the state value to send to Xero. */
  async issue(attempt: ConnectAttempt, verifier: string): Promise<string> {
    const state = newStateValue();
    const id = randomUUID();
    const row: OAuthState = {
      id,
      stateHash: hashState(state),
      companyId: attempt.companyId,
      userId: attempt.userId,
      codeVerifier: this.vault.seal(verifier, stateAad({ id, companyId: attempt.companyId })),
      expiresAt: new Date(Date.now() + this.config.OAUTH_STATE_TTL_SECONDS * 1000),
      consumedAt: null,
      createdAt: new Date(),
    };
    await this.dataSource.getRepository(OAuthState).insert(row);
    return state;
  }

  /**
   * Uses up a returning state and hands back its PKCE verifier. Any state that was issued is consumed on
   * its first return, valid or not, so it cannot be tried twice.
   */
  async consume(providedState: unknown, caller: AuthUser | undefined): Promise<{ verifier: string; attempt: VerifiedAttempt }> {
    if (!caller) throw new OAuthException(OAuthErrorCode.StateMismatch, 'The connect attempt must be completed by the user who started it');
    if (typeof providedState !== 'string' || !STATE_PATTERN.test(providedState)) {
      throw new OAuthException(OAuthErrorCode.StateInvalid, 'The state parameter is missing or was not issued by Ledgerline');
    }
    const now = new Date();
    const issued = await this.dataSource.transaction(async (tx) => {
      const repository = tx.getRepository(OAuthState);
      const row = await repository.findOne({ where: { stateHash: hashState(providedState) }, lock: { mode: 'pessimistic_write' } });
      if (row && row.consumedAt === null) await repository.update({ id: row.id }, { consumedAt: now });
      return row ?? undefined;
    });
    const problem = judgeState(issued, caller, now);
    if (problem || !issued) throw new OAuthException(problem ?? OAuthErrorCode.StateInvalid, STATE_MESSAGES[problem ?? OAuthErrorCode.StateInvalid]);
    return {
      verifier: this.vault.open(issued.codeVerifier, stateAad(issued)),
      attempt: { companyId: issued.companyId, userId: issued.userId, stateId: issued.id },
    };
  }

  /** Forgets attempts that ended (used or expired) more than a day ago. */
  async purgeOld(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(OAuthState)
      .where(`"expires_at" < now() - interval '1 day'`)
      .execute();
    return result.affected ?? 0;
  }
}

const STATE_MESSAGES: Record<string, string> = {
  [OAuthErrorCode.StateInvalid]: 'The state parameter was not issued by Ledgerline',
  [OAuthErrorCode.StateReplayed]: 'This connect attempt was already completed; start a new one',
  [OAuthErrorCode.StateExpired]: 'This connect attempt has expired; start a new one',
  [OAuthErrorCode.StateMismatch]: 'This connect attempt was started by another user or for another company',
};
