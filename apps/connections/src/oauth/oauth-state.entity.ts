import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One connect attempt: the state sent to Xero (kept only as a SHA-256 hash), who started it for which
 * company, and the PKCE code verifier (sealed). Single use; expires after OAUTH_STATE_TTL_SECONDS.
 */
@Entity('oauth_states')
export class OAuthState {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'state_hash', type: 'text' })
  stateHash: string;

  @Column({ name: 'company_id', type: 'text' })
  companyId: string;

  @Column({ name: 'user_id', type: 'text' })
  userId: string;

  @Column({ name: 'code_verifier', type: 'text' })
  codeVerifier: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export const stateAad = (state: Pick<OAuthState, 'id' | 'companyId'>): string => `oauth_states:${state.id}:code_verifier|company:${state.companyId}`;
