import { causedBy, Failure, LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { Injectable } from '@nestjs/common';
import { instanceToPlain } from 'class-transformer';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ContactMappings } from '../contact-mappings/contact-mappings.service';
import { JobQueue } from './job-queue.service';
import { JobRecords, RequestOrigin } from './job-records.service';

/**
 * job.assigned and job.status_changed. A job is one row per (company, jobId) holding the job as last assigned; each
 * request becomes one project.sync operation, answered once by job.synced or job.sync_failed. A job whose client
 * has no Xero contact yet waits for it, as invoices do.
 */
@Injectable()
export class JobSyncs {
  constructor(
    private readonly records: JobRecords,
    private readonly contacts: ContactMappings,
    private readonly queue: JobQueue,
  ) {}

  async assigned(event: LedgerlineEvent<typeof Topics.JobAssigned>, tx: EntityManager): Promise<void> {
    const request = instanceToPlain(event.payload) as Record<string, unknown>;
    const origin: RequestOrigin = { id: event.id, correlationId: event.correlationId };
    const { jobId, clientId } = event.payload;
    // The client's lock first (as contact.synced takes it), then the job's row.
    const contactId = await this.contacts.contactFor(tx, event.companyId, clientId);
    const existing = await this.records.lockByJobId(tx, event.companyId, jobId);
    // Requests made while the job waited for a contact are answered with this one.
    const owed = existing?.status === 'waiting_contact' ? existing.waiting_origins : [];
    const status = contactId === null ? 'waiting_contact' : 'pending';
    const waiting = contactId === null ? [...owed, origin] : [];
    if (existing) await this.records.reassign(tx, existing, request, status, waiting, origin);
    else await this.records.insert(tx, { id: randomUUID(), company_id: event.companyId, job_id: jobId, client_id: clientId, request, status, waiting_origins: waiting, correlation_id: event.correlationId, causation_id: event.id });
    if (contactId === null) {
      await this.contacts.requestSync(tx, event.companyId, clientId, causedBy(event), `job ${jobId} waits for this client's Xero contact`);
      return;
    }
    const job = await this.records.lockByJobId(tx, event.companyId, jobId);
    if (job) await this.queue.enqueueAssign(tx, job, contactId, [...owed, origin]);
  }

  async statusChanged(event: LedgerlineEvent<typeof Topics.JobStatusChanged>, tx: EntityManager): Promise<void> {
    const { jobId, status } = event.payload;
    const origin: RequestOrigin = { id: event.id, correlationId: event.correlationId };
    const job = await this.records.lockByJobId(tx, event.companyId, jobId);
    if (!job) {
      const failure: Failure = { code: 'INVALID_REQUEST', messages: [`no job.assigned was received for job ${jobId}`] };
      await this.records.publishFailed(tx, event.companyId, jobId, [origin], failure);
      return;
    }
    if (job.status === 'waiting_contact') {
      // Applied when the project is made, and answered then.
      await this.records.setStatus(tx, job, 'waiting_contact', { jobStatus: status, waiting: [...job.waiting_origins, origin] });
      return;
    }
    await this.queue.enqueueStatus(tx, job, status, origin);
  }
}
