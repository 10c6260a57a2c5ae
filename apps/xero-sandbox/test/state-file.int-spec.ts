import { eventually, freePort, REPO_ROOT, ServiceProcess, startServiceProcess } from '@ledgerline/testing';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The sandbox as `npm start` runs it: its own process with SANDBOX_STATE_FILE, stopped and started
 * again. What Ledgerline holds across a restart (tokens, record ids) must still be good afterwards.
 */
const ENTRY = 'apps/xero-sandbox/src/main.ts';
const CLIENT = { id: 'ledgerline-dev', secret: 'ledgerline-dev-secret' };
const REDIRECT = 'http://127.0.0.1:3001/v1/connections/xero/callback';
const SCOPE = 'openid profile email offline_access accounting.transactions accounting.contacts';
const BASIC = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;

type Json = Record<string, unknown>;

interface TokenPair {
  access_token: string;
  refresh_token: string;
}

// Each start is a fresh Node process compiling TypeScript on the fly: a few seconds.
jest.setTimeout(120_000);

describe('state file across restarts of the sandbox process', () => {
  let dir: string;
  let port: number;
  let sandbox: ServiceProcess | undefined;

  const envFor = (file: string) => ({ SANDBOX_STATE_FILE: file, SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'warn' });
  const start = (file: string) => startServiceProcess({ entry: ENTRY, env: envFor(file), port, readyPath: '/health/live' });

  async function request(method: string, urlPath: string, options: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json; location: string | null }> {
    const response = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
      method,
      headers: {
        ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...options.headers,
      },
      body: options.json !== undefined ? JSON.stringify(options.json) : options.form ? new URLSearchParams(options.form).toString() : undefined,
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : {}) as Json, location: response.headers.get('location') };
  }

  /** Runs the sandbox expecting it to stop on its own (startServiceProcess would keep polling until its timeout). */
  const runUntilExit = (file: string) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, ENTRY)], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...envFor(file), PORT: String(port), HOST: '127.0.0.1', SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });

  const refresh = (refreshToken: string) => request('POST', '/connect/token', { form: { grant_type: 'refresh_token', refresh_token: refreshToken }, headers: { authorization: BASIC } });
  const api = (token: string, tenantId: string, method: string, urlPath: string, json?: unknown) =>
    request(method, `/api.xro/2.0/${urlPath}`, { json, headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': tenantId, accept: 'application/json' } });
  const fileContains = (file: string, text: string) => eventually(`${file} to contain ${text}`, () => readFileSync(file, 'utf8').includes(text), 5_000, 50);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-state-int-'));
    port = await freePort();
  });

  afterEach(async () => {
    await sandbox?.stop('SIGKILL');
    sandbox = undefined;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps organisations, records, numbering and OAuth tokens through a graceful restart and a crash', async () => {
    const file = path.join(dir, 'state.json');
    sandbox = await start(file);

    const tenantId = (await request('POST', '/__sandbox/organisations', { json: { name: 'Harbour Electrical' } })).body['tenantId'] as string;
    const authorize = await request('GET', `/identity/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT.id, redirect_uri: REDIRECT, scope: SCOPE, state: 's', sandbox_auto_approve: tenantId })}`);
    expect(authorize.status).toBe(302);
    const code = new URL(authorize.location as string).searchParams.get('code') as string;
    const issued = await request('POST', '/connect/token', { form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, headers: { authorization: BASIC } });
    expect(issued.status).toBe(200);
    const first = issued.body as unknown as TokenPair;

    const contact = (await api(first.access_token, tenantId, 'PUT', 'Contacts', { Contacts: [{ Name: 'Bayview Dental', EmailAddress: 'accounts@bayview.test' }] })).body['Contacts'] as Json[];
    const contactId = contact[0]['ContactID'] as string;
    const created = await api(first.access_token, tenantId, 'PUT', 'Invoices?unitdp=4', {
      Invoices: [
        {
          Type: 'ACCREC',
          Status: 'AUTHORISED',
          Contact: { ContactID: contactId },
          Date: '2026-02-28',
          DueDate: '2026-03-31',
          LineAmountTypes: 'Exclusive',
          LineItems: [
            { Description: 'Call-out', Quantity: 3, UnitAmount: 33.3333, AccountCode: '200', TaxType: 'OUTPUT2', DiscountRate: 12.5 },
            { Description: 'Cable', Quantity: 0.3333, UnitAmount: 0.1, AccountCode: '200' },
          ],
        },
      ],
    });
    expect(created.status).toBe(200);
    const invoiceId = (created.body['Invoices'] as Json[])[0]['InvoiceID'] as string;
    const invoiceBefore = (await api(first.access_token, tenantId, 'GET', `Invoices/${invoiceId}?unitdp=4`)).body['Invoices'] as Json[];
    expect(invoiceBefore[0]).toMatchObject({ InvoiceNumber: 'INV-0001', SubTotal: 87.53, TotalTax: 13.13, Total: 100.66 });
    const connectionsBefore = (await request('GET', '/connections', { headers: { authorization: `Bearer ${first.access_token}` } })).body;

    // Saved shortly after the change, without waiting for a shutdown.
    await fileContains(file, 'INV-0001');

    // Rotated right before SIGTERM, inside the save delay: the save at shutdown keeps it.
    const second = (await refresh(first.refresh_token)).body as unknown as TokenPair;
    expect(await sandbox.stop('SIGTERM')).toBeNull();
    expect(sandbox.process.signalCode).toBe('SIGTERM');
    expect(sandbox.output()).not.toMatch(/"level":50|sandbox state not saved/);

    sandbox = await start(file);
    expect((await request('GET', '/__sandbox/organisations')).body).toEqual([{ tenantId, name: 'Harbour Electrical' }]);
    // Both access tokens from before the restart still work for the API.
    for (const token of [first.access_token, second.access_token]) {
      const contactAfter = await api(token, tenantId, 'GET', `Contacts/${contactId}`);
      expect(contactAfter.status).toBe(200);
      expect((contactAfter.body['Contacts'] as Json[])[0]).toMatchObject({ ContactID: contactId, Name: 'Bayview Dental', EmailAddress: 'accounts@bayview.test' });
    }
    expect((await api(second.access_token, tenantId, 'GET', `Invoices/${invoiceId}?unitdp=4`)).body['Invoices']).toEqual(invoiceBefore);
    expect((await request('GET', '/connections', { headers: { authorization: `Bearer ${second.access_token}` } })).body).toEqual(connectionsBefore);
    const next = await api(second.access_token, tenantId, 'PUT', 'Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, LineItems: [{ Description: 'Follow-up', Quantity: 1, UnitAmount: 65, AccountCode: '200' }] }] });
    expect((next.body['Invoices'] as Json[])[0]['InvoiceNumber']).toBe('INV-0002');

    // Rotation and grace hold: the rotated token replays the same pair, the current one rotates.
    const replayed = await refresh(first.refresh_token);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(second);
    const third = (await refresh(second.refresh_token)).body as unknown as TokenPair;
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect((await api(third.access_token, tenantId, 'GET', 'Contacts')).status).toBe(200);

    // A crash (no shutdown hook) loses at most the last half second.
    await api(third.access_token, tenantId, 'PUT', 'Contacts', { Contacts: [{ Name: 'Saved Before The Crash' }] });
    await fileContains(file, 'Saved Before The Crash');
    await sandbox.stop('SIGKILL');

    sandbox = await start(file);
    const contacts = (await api(third.access_token, tenantId, 'GET', 'Contacts?order=Name')).body['Contacts'] as Json[];
    expect(contacts.map((c) => c['Name'])).toEqual(['Bayview Dental', 'Saved Before The Crash']);
    // The grace period still runs on the restored clock: once it has passed, the rotated tokens are dead.
    await request('POST', '/__sandbox/clock/advance', { json: { minutes: 31 } });
    expect((await refresh(first.refresh_token)).body).toEqual({ error: 'invalid_grant' });
    expect((await refresh(second.refresh_token)).body).toEqual({ error: 'invalid_grant' });
    const fourth = await refresh(third.refresh_token);
    expect(fourth.status).toBe(200);
    expect((await api((fourth.body as unknown as TokenPair).access_token, tenantId, 'GET', `Invoices/${invoiceId}`)).status).toBe(200);

    // Reset empties the saved state too.
    await request('POST', '/__sandbox/reset');
    await sandbox.stop('SIGTERM');
    sandbox = await start(file);
    expect((await request('GET', '/__sandbox/organisations')).body).toEqual([]);
    expect((await api(third.access_token, tenantId, 'GET', 'Contacts')).status).toBe(401);
  });

  it.each([
    ['corrupt', 'not json {', 'is not valid JSON'],
    ['incompatible', '{"format":"ledgerline-xero-sandbox-state","version":2,"state":{}}', 'has format version 2; this sandbox reads version 1 only'],
  ])('refuses to start from a %s file: exit code 1 and a message naming the file', async (kind, content, problem) => {
    const file = path.join(dir, `${kind}.json`);
    writeFileSync(file, content);
    const { code, output } = await runUntilExit(file);
    expect(code).toBe(1);
    expect(output).toContain(`Sandbox state file ${file} (SANDBOX_STATE_FILE) ${problem}`);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });
});
