import Decimal from 'decimal.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STATE_FILE_FORMAT, STATE_FILE_VERSION, StateFile } from './state-file';
import { StateFileException } from './state-file.exception';

describe('StateFile', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-state-'));
    file = path.join(dir, 'nested', 'state.json');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const problem = (read: () => unknown): StateFileException => {
    try {
      read();
    } catch (error) {
      if (error instanceof StateFileException) return error;
      throw error;
    }
    throw new Error('expected a StateFileException');
  };

  it('has nothing to read before the first write', () => {
    expect(new StateFile(file).read()).toBeUndefined();
  });

  it('writes atomically (no temporary file left), owner-only, with format and version, and reads the state back', () => {
    const state = { store: { total: new Decimal('1150.05'), at: new Date(1700000000123) }, clock: { offsetMs: 0 } };
    expect(new StateFile(file).write(state)).toBe(true);
    expect(readdirSync(path.dirname(file))).toEqual(['state.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(raw).toMatchObject({ format: STATE_FILE_FORMAT, version: STATE_FILE_VERSION, savedAt: expect.any(String) });
    const restored = new StateFile(file).read() as typeof state;
    expect(restored.store.total.toString()).toBe('1150.05');
    expect(restored.store.at.getTime()).toBe(1700000000123);
  });

  it('skips a write when the state has not changed since the last read or write', () => {
    const first = new StateFile(file);
    expect(first.write({ clock: { offsetMs: 1 } })).toBe(true);
    expect(first.write({ clock: { offsetMs: 1 } })).toBe(false);
    const second = new StateFile(file);
    second.read();
    expect(second.write({ clock: { offsetMs: 1 } })).toBe(false);
    expect(second.write({ clock: { offsetMs: 2 } })).toBe(true);
  });

  it.each([
    ['not JSON', '{"format":"ledgerline-xero-sandbox-state","version":1,"state":{', 'CORRUPT', 'is not valid JSON'],
    ['empty', '', 'CORRUPT', 'is not valid JSON'],
    ['another file', '{"hello":"world"}', 'CORRUPT', 'is not a sandbox state file'],
    ['without state', `{"format":"${STATE_FILE_FORMAT}","version":${STATE_FILE_VERSION}}`, 'CORRUPT', 'has no "state" object'],
    ['a bad tagged value', `{"format":"${STATE_FILE_FORMAT}","version":${STATE_FILE_VERSION},"state":{"clock":{"$date":"soon"}}}`, 'CORRUPT', 'state.clock.$date is not a date'],
    ['from another version', `{"format":"${STATE_FILE_FORMAT}","version":99,"state":{}}`, 'INCOMPATIBLE', 'has format version 99; this sandbox reads version 1 only'],
  ])('refuses a file that is %s, naming the file and the problem', (_, content, code, detail) => {
    writeFileSync(path.join(dir, 'state.json'), content);
    const error = problem(() => new StateFile(path.join(dir, 'state.json')).read());
    expect(error.code).toBe(code);
    expect(error.message).toContain(path.join(dir, 'state.json'));
    expect(error.message).toContain(detail);
  });

  it('refuses a path it cannot read', () => {
    const error = problem(() => new StateFile(dir).read());
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toContain(`Sandbox state file ${dir} (SANDBOX_STATE_FILE) cannot be read: EISDIR`);
  });

  it('reports a path it cannot write', () => {
    writeFileSync(path.join(dir, 'blocker'), 'a file where a folder should be');
    const error = problem(() => new StateFile(path.join(dir, 'blocker', 'state.json')).write({ clock: { offsetMs: 0 } }));
    expect(error.code).toBe('UNWRITABLE');
    expect(error.message).toContain(`Sandbox state file ${path.join(dir, 'blocker', 'state.json')} (SANDBOX_STATE_FILE) cannot be written: EEXIST`);
  });

  it('removes its temporary file when the rename fails', () => {
    const target = path.join(dir, 'target');
    mkdirSync(path.join(target, 'occupied'), { recursive: true });
    expect(problem(() => new StateFile(target).write({ clock: { offsetMs: 0 } })).code).toBe('UNWRITABLE');
    expect(readdirSync(dir)).toEqual(['target']);
  });
});
