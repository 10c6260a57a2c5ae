import { Topics } from '@ledgerline/contracts';
import { bearerToken, eventually, REPO_ROOT, SandboxOrganisation } from '@ledgerline/testing';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { clientUpserted, invoiceRequested, publish } from './support/events';
import { Platform, startPlatform } from './support/platform';

jest.setTimeout(120_000);

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = path.join(REPO_ROOT, 'tmp/screenshots');
const WATCHED = [Topics.InvoiceCreated, Topics.InvoiceFailed, Topics.SyncRequested, Topics.SyncProgress, Topics.XeroConnectionConnected];

/** Debian's chromium, installed when it is missing and this machine lets the tests install packages (as root, with apt-get). */
function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) throw new Error(`${CHROMIUM} is missing and cannot be installed here (needs root and apt-get): apt-get install chromium`);
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const run = spawnSync('apt-get', args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${run.stderr.slice(-2000)}`);
  }
}

/**
 * The admin page in headless Chromium against the whole platform: sign in, connect through the sandbox's consent page,
 * an invoice flow's result, a failed document fixed and retried, a contacts sync watched to the end, another company
 * seeing none of it; and over REST, the sync log, errors (with a dead letter) and overview of what the run did.
 */
describe('the console in a browser', () => {
  const companyA = 'harbour-co';
  const companyB = 'kauri-co';
  let platform: Platform;
  let context: BrowserContext;
  let page: Page;
  let organisation: SandboxOrganisation;
  let userDataDir: string;
  const rest = (companyId: string) => bearerToken(platform.jwt, { sub: `admin@${companyId}`, companyId, role: 'practice_admin' });
  const get = async (companyId: string, route: string) =>
    (await (await fetch(`${platform.console!.url}${route}`, { headers: { authorization: rest(companyId) } })).json()) as Record<string, unknown> & { items: Record<string, unknown>[]; total: number };
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const view = async (name: string) => {
    await page.click(`nav a[href="#/${name}"]`);
    await page.waitForURL((url) => url.hash === `#/${name}`);
  };
  /** Presses the view's Refresh until `check` holds: the page shows what the events have reached so far. */
  const refreshUntil = async (what: string, check: () => Promise<boolean>) =>
    eventually(what, async () => {
      if (await check()) return true;
      await page.getByRole('button', { name: 'Refresh' }).first().click();
      return false;
    }, 30_000, 300);

  beforeAll(async () => {
    ensureChromium();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerline-chromium-'));
    [platform, context] = await Promise.all([
      startPlatform({ watch: WATCHED, console: true, env: { PAYMENTS_POLL_INTERVAL_MS: '600000', CONTACTS_POLL_INTERVAL_MS: '600000' } }),
      chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1366, height: 800 } }),
    ]);
    page = context.pages()[0] ?? (await context.newPage());
    organisation = await SandboxOrganisation.create(platform.sandbox.url, 'Harbour View Practice');
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await platform?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it('signs in, connects through the consent page, shows an invoice flow, and fixes and retries a failed document', async () => {
    await page.goto(platform.console!.url);
    await page.getByLabel('Company').fill(companyA);
    await page.getByLabel('Role').selectOption('practice_admin');
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in').waitFor();
    expect(await page.getByTestId('signed-in').textContent()).toContain(companyA);
    // The page holds a token but never shows one.
    expect(await page.content()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);

    await view('connection');
    await page.getByRole('button', { name: 'Connect to Xero' }).click();
    await page.waitForURL((url) => url.href.startsWith(platform.sandbox.url));
    for (const box of await page.locator('input[name="tenant"]').all()) await box.setChecked((await box.getAttribute('value')) === organisation.tenantId);
    await page.getByRole('button', { name: 'Allow access' }).click();
    await page.waitForURL((url) => url.href.startsWith(platform.console!.url) && url.hash === '#/connection');
    await refreshUntil('the connection to show connected', async () => (await page.getByTestId('connection-status').textContent()) === 'connected');
    expect(await page.textContent('main')).toContain('Harbour View Practice');
    await shot('connection');

    const good = invoiceRequested('inv-good', 'client-1');
    const bad = invoiceRequested('inv-bad', 'client-1', [{ description: 'Consulting', quantity: '1', unitAmount: '100.00', accountCode: '9999', taxType: 'OUTPUT2' }]);
    await publish(platform, Topics.ClientUpserted, companyA, [clientUpserted('client-1', 'Harbour View Cafe')]);
    await publish(platform, Topics.InvoiceRequested, companyA, [good, bad]);
    // Not an event at all: documents dead-letters it, and the console lists the dead letter.
    await platform.probe.send(platform.topic(Topics.InvoiceRequested), [{ key: companyA, value: '{"type":"invoice.requested","payload":' }]);
    await platform.probe.waitFor('invoice.created', (m) => m.json<{ payload: { requestId: string } }>().payload.requestId === 'inv-good', 60_000);
    await platform.probe.waitFor('invoice.failed', (m) => m.json<{ payload: { requestId: string } }>().payload.requestId === 'inv-bad', 60_000);

    await view('overview');
    await refreshUntil('the overview to count the raised invoice', async () => (await page.getByTestId('overview-invoices-raised').textContent()) === '1');
    expect(await page.getByTestId('overview-failed').textContent()).toBe('1');
    await shot('overview');

    await view('sync-log');
    await refreshUntil('the sync log to show the invoice attempts', async () => (await page.locator('table').last().textContent())?.includes('invoice.create') ?? false);
    await shot('sync-log');

    await view('contacts');
    await refreshUntil('the contact mapping', async () => (await page.textContent('main'))?.includes('Harbour View Cafe') ?? false);
    await shot('contacts');

    await view('errors');
    const failedRow = page.locator('tr', { hasText: 'invoice.failed' });
    await refreshUntil('the failed invoice among the errors', async () => (await failedRow.count()) > 0);
    await shot('errors');
    await failedRow.getByRole('button', { name: 'Open' }).click();
    await page.getByText("Account code '9999' is not a valid code for this document.").first().waitFor();
    expect(await page.textContent('main')).toContain('"requestId": "inv-bad"');
    await page.getByRole('button', { name: 'Open the document to fix and retry' }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/documents/'));
    await page.getByTestId('document-status').waitFor();
    expect(await page.getByTestId('document-status').textContent()).toBe('failed');
    await page.locator('input[name="line-0-accountCode"]').fill('200');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Sent again.').waitFor();
    await platform.probe.waitFor('invoice.created after the retry', (m) => m.json<{ payload: { requestId: string } }>().payload.requestId === 'inv-bad', 60_000);
    await refreshUntil('the document to be created', async () => (await page.getByTestId('document-status').textContent()) === 'created');
    await shot('documents');
  });

  it('starts a contacts sync and watches its progress to the end', async () => {
    await view('syncs');
    await page.getByLabel('What to read from Xero').selectOption('contacts');
    await page.getByRole('button', { name: 'Start sync' }).click();
    const progress = page.getByTestId('sync-progress').first();
    await progress.waitFor();
    await page.locator('[data-testid="sync-progress"][data-state="done"]').waitFor({ timeout: 60_000 });
    expect(await progress.textContent()).toContain('Finished');
    await shot('contacts-sync');
  });

  it('starts a payments sync and watches its progress in the page until it is done', async () => {
    await view('syncs');
    await page.getByLabel('What to read from Xero').selectOption('payments');
    await page.getByRole('button', { name: 'Start sync' }).click();
    const requested = await platform.probe.waitFor('sync.requested for payments', (m) => m.json<{ payload: { scope: string } }>().payload.scope === 'payments');
    expect(requested.key).toBe(companyA);
    // The payments service reads the company's invoices from the sandbox and reports each page. (The contacts sync's
    // finished progress may still be shown until the page follows the new sync.)
    await page.locator('[data-testid="sync-progress"][data-state="done"]', { hasText: 'payments' }).waitFor({ timeout: 60_000 });
    const progress = page.getByTestId('sync-progress').first();
    expect(await progress.textContent()).toMatch(/payments done — [1-9]\d* page\(s\) read, \d+ record\(s\) changed, 0 error\(s\)\. Finished\./);
    await page.locator('tr', { hasText: 'payments' }).filter({ hasText: 'done' }).waitFor();
    await shot('syncs');
  });

  it('shows over REST what the run did, for the right company only', async () => {
    const log = await get(companyA, '/v1/console/sync-log?entity=invoice');
    expect(log.items.map((e) => e['kind'])).toContain('invoice.create');
    expect(log.items.some((e) => e['outcome'] === 'failed' && String((e['failure'] as { messages: string[] }).messages).includes('9999'))).toBe(true);
    expect(log.items.filter((e) => e['outcome'] === 'succeeded').length).toBeGreaterThanOrEqual(2);

    const errors = await eventually('the dead letter among the errors', async () => {
      const page = await get(companyA, '/v1/console/errors');
      return page.items.some((e) => e['source'] === 'dead_letter') && page;
    });
    expect(errors.items.find((e) => e['source'] === 'outcome')).toMatchObject({ topic: 'invoice.failed', reference: 'inv-bad', code: 'XERO_VALIDATION' });
    const letter = errors.items.find((e) => e['source'] === 'dead_letter')!;
    expect(letter).toMatchObject({ topic: 'invoice.requested', entity: 'invoice' });
    const detail = await get(companyA, `/v1/console/errors/${letter['id']}`);
    expect(detail['original']).toBe('{"type":"invoice.requested","payload":');
    expect(String(detail['reason'])).toMatch(/JSON/i);

    const overview = await eventually('both invoices raised in the overview', async () => {
      const body = await get(companyA, '/v1/console/overview');
      return (body['invoices'] as { raised: number }).raised === 2 && body;
    });
    expect(overview).toMatchObject({ connection: { status: 'connected', organisationName: 'Harbour View Practice' }, invoices: { raised: 2, outstanding: 2 } });

    for (const route of ['/v1/console/sync-log', '/v1/console/errors']) expect((await get(companyB, route)).total).toBe(0);
    expect(await get(companyB, '/v1/console/overview')).toMatchObject({ connection: null, invoices: { raised: 0, failed: 0 } });
  });

  it("never shows another company's data in the page", async () => {
    const other = await context.newPage();
    try {
      await other.goto(platform.console!.url);
      await other.getByLabel('Company').fill(companyB);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByTestId('signed-in').waitFor();
      expect(await other.getByTestId('overview-invoices-raised').textContent()).toBe('0');
      for (const name of ['sync-log', 'errors', 'documents', 'contacts']) {
        await other.click(`nav a[href="#/${name}"]`);
        await other.waitForURL((url) => url.hash === `#/${name}`);
        await other.waitForSelector('main section');
        await other.waitForTimeout(300);
        const text = (await other.textContent('main')) ?? '';
        for (const secret of ['inv-good', 'inv-bad', 'Harbour View', 'client-1', '9999']) expect(text).not.toContain(secret);
      }
      await other.screenshot({ path: path.join(SCREENSHOTS, 'other-company.png'), fullPage: true });
    } finally {
      await other.close();
    }
  });

  it('maps a service and a staff member, and resolves a contact conflict field by field, in the page', async () => {
    await view('job-mappings');
    const services = page.getByRole('region', { name: 'Service mappings' });
    await services.getByText('No service type is mapped yet.').waitFor();
    await page.getByLabel('Service type', { exact: true }).fill('Bookkeeping');
    await page.getByLabel('Task name').fill('Monthly bookkeeping');
    await page.getByLabel('Rate').fill('95.001');
    await page.getByLabel('Charge type').selectOption('TIME');
    await page.getByLabel('Estimate (minutes)').fill('120');
    await page.getByRole('button', { name: 'Save service mapping' }).click();
    await services.getByRole('alert').getByText(/rate must be a non-negative decimal string with at most 2 decimal places/).waitFor();
    await page.getByLabel('Rate').fill('95.00');
    await page.getByRole('button', { name: 'Save service mapping' }).click();
    await page.getByText('Saved the tasks of Bookkeeping.').waitFor();
    await services.locator('tr', { hasText: 'Bookkeeping' }).getByText('Monthly bookkeeping — TIME 95.00, 120 min').waitFor();
    expect(await services.getByRole('alert').count()).toBe(0);

    const xeroUserId = randomUUID();
    await page.getByLabel('Assignee email').fill('sidney@harbour.test');
    await page.getByLabel('Xero projects user id').fill(xeroUserId);
    await page.getByLabel('Xero user name (optional)').fill('Sidney Allen');
    await page.getByRole('button', { name: 'Save staff mapping' }).click();
    const staffRow = page.getByRole('region', { name: 'Staff mappings' }).locator('tr', { hasText: 'sidney@harbour.test' });
    await staffRow.waitFor();
    expect(await staffRow.textContent()).toMatch(new RegExp(`Sidney Allen${xeroUserId}manual`));
    await shot('job-mappings');

    // A person decides: the same field is then changed in Xero and in Ledgerline.
    await view('contacts');
    await page.getByLabel('When a field changed on both sides').selectOption('manual');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const conflicts = page.getByRole('region', { name: 'Contact conflicts' });
    await conflicts.getByText('No field has been changed on both sides.').waitFor();
    const mappings = await get(companyA, '/api/contacts/v1/contacts/mappings?clientId=client-1');
    const xeroContactId = String(mappings.items[0]['xeroContactId']);
    const edited = await fetch(`${platform.sandbox.url}/__sandbox/organisations/${organisation.tenantId}/contacts/${xeroContactId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ EmailAddress: 'accounts@harbour-xero.test' }),
    });
    expect(edited.status).toBe(200);
    await publish(platform, Topics.ClientUpserted, companyA, [clientUpserted('client-1', 'Harbour View Cafe', 'accounts@harbour-ledgerline.test')]);
    const resolve = conflicts.getByRole('button', { name: 'Resolve the conflict on client-1' });
    await eventually('the open conflict', async () => {
      if ((await resolve.count()) > 0) return true;
      await conflicts.getByRole('button', { name: 'Refresh' }).click();
      return false;
    }, 30_000, 300);
    await page.getByLabel('Show').selectOption('conflicted');
    await page.getByRole('region', { name: 'Contact mappings' }).locator('tr', { hasText: 'client-1' }).getByText('waiting').waitFor();
    await resolve.click();
    await page.getByLabel('Keep Ledgerline’s value: accounts@harbour-ledgerline.test').check();
    await shot('contact-conflict');
    await page.getByRole('button', { name: 'Apply' }).click();
    await conflicts.locator('tr', { hasText: 'client-1' }).getByText('resolved').waitFor();
    await page.getByRole('region', { name: 'Contact mappings' }).getByText('Nothing here yet.').waitFor();
    await shot('contact-conflicts');
    // The kept value reaches Xero with the client's next write.
    await eventually('the client’s email in Xero', async () => {
      const contact = (await organisation.contacts()).find((c) => String(c['ContactID']).toLowerCase() === xeroContactId.toLowerCase());
      return contact?.['EmailAddress'] === 'accounts@harbour-ledgerline.test';
    }, 30_000, 300);
  });
});
