import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeState, encodeState } from './state-codec';
import { StateFileException } from './state-file.exception';

export const STATE_FILE_FORMAT = 'ledgerline-xero-sandbox-state';
/** Raise when a snapshot's shape changes in a way older files cannot be restored from. */
export const STATE_FILE_VERSION = 1;

function errorText(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Nothing to clean up when the folder itself is missing or unusable.
  }
}

/**
 * The state file on disk: `{"format", "version", "savedAt", "state"}`. Writes go to a temporary file
 * that is then renamed over the old one, so a crash mid-write leaves the previous state intact.
 */
export class StateFile {
  private lastWritten?: string;

  constructor(readonly path: string) {}

  /** The saved state, or undefined when there is no file yet. */
  read(): Record<string, unknown> | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateFileException('UNREADABLE', this.path, `cannot be read: ${errorText(error)}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StateFileException('CORRUPT', this.path, `is not valid JSON: ${errorText(error)}`);
    }
    const file = (parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
    if (file['format'] !== STATE_FILE_FORMAT) throw new StateFileException('CORRUPT', this.path, `is not a sandbox state file (it has no "format": "${STATE_FILE_FORMAT}")`);
    if (file['version'] !== STATE_FILE_VERSION) {
      throw new StateFileException('INCOMPATIBLE', this.path, `has format version ${JSON.stringify(file['version'])}; this sandbox reads version ${STATE_FILE_VERSION} only`);
    }
    const state = file['state'];
    if (!state || typeof state !== 'object' || Array.isArray(state)) throw new StateFileException('CORRUPT', this.path, 'has no "state" object');
    try {
      const decoded = decodeState(state) as Record<string, unknown>;
      this.lastWritten = JSON.stringify(state);
      return decoded;
    } catch (error) {
      throw new StateFileException('CORRUPT', this.path, `has an invalid value: ${errorText(error)}`);
    }
  }

  /** Writes the state unless it equals what was last read or written; returns whether it wrote. */
  write(state: Record<string, unknown>): boolean {
    const json = JSON.stringify(encodeState(state));
    if (json === this.lastWritten) return false;
    const text = `{"format":${JSON.stringify(STATE_FILE_FORMAT)},"version":${STATE_FILE_VERSION},"savedAt":${JSON.stringify(new Date().toISOString())},"state":${json}}\n`;
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.path), { recursive: true });
      // Tokens, client secrets, the signing key and the webhook key are in here: owner only.
      writeFileSync(temporary, text, { mode: 0o600 });
      renameSync(temporary, this.path);
    } catch (error) {
      removeQuietly(temporary);
      throw new StateFileException('UNWRITABLE', this.path, `cannot be written: ${errorText(error)}`);
    }
    this.lastWritten = json;
    return true;
  }
}
