export type StateFileProblem = 'UNREADABLE' | 'CORRUPT' | 'INCOMPATIBLE' | 'UNWRITABLE';

const ADVICE: Record<StateFileProblem, string> = {
  UNREADABLE: 'Check the path and its permissions.',
  CORRUPT: 'Fix the file, or delete it to start from the boot state.',
  INCOMPATIBLE: 'Delete the file to start from the boot state.',
  UNWRITABLE: 'Check that its folder can be created and written to.',
};

/** The state file named by SANDBOX_STATE_FILE cannot be used. The sandbox refuses to start rather than start empty. */
export class StateFileException extends Error {
  constructor(
    readonly code: StateFileProblem,
    readonly file: string,
    detail: string,
  ) {
    super(`Sandbox state file ${file} (SANDBOX_STATE_FILE) ${detail}. ${ADVICE[code]}`);
    this.name = 'StateFileException';
  }
}
