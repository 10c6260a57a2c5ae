import { AuthUser } from '@ledgerline/auth';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SharedOrganisation } from './entities/shared-organisation.entity';
import { XeroConnectionRepository } from './xero-connection.repository';

/** Whether an organisation may serve several companies, and how many current connections use it. */
export interface OrganisationSharingView {
  tenantId: string;
  sharingAllowed: boolean;
  allowedBy: string | null;
  allowedAt: string | null;
  /** Current connections (any company) on the organisation. */
  connections: number;
}

/**
 * The super admin's switch for one Xero organisation in several companies. Allowing it lets more companies
 * connect the organisation; withdrawing it refuses new ones and leaves existing connections alone.
 */
@Injectable()
export class OrganisationSharingService {
  private readonly logger = new Logger(OrganisationSharingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: XeroConnectionRepository,
  ) {}

  async view(tenantId: string): Promise<OrganisationSharingView> {
    const row = await this.dataSource.getRepository(SharedOrganisation).findOne({ where: { tenantId } });
    const connections = (await this.connections.currentOnOrganisation(tenantId)).length;
    return { tenantId, sharingAllowed: row !== null, allowedBy: row?.allowedBy ?? null, allowedAt: row?.allowedAt.toISOString() ?? null, connections };
  }

  async set(user: AuthUser, tenantId: string, allowed: boolean): Promise<OrganisationSharingView> {
    const repository = this.dataSource.getRepository(SharedOrganisation);
    if (allowed) {
      await repository.createQueryBuilder().insert().values({ tenantId, allowedBy: user.userId, allowedAt: new Date() }).orIgnore().execute();
    } else {
      await repository.delete({ tenantId });
    }
    this.logger.log(`${user.userId} ${allowed ? 'allowed' : 'withdrew'} sharing of Xero organisation ${tenantId} between companies`);
    return this.view(tenantId);
  }
}
