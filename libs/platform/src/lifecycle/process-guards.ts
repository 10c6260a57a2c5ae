import { isConnectionFailure, isDatabaseUnavailable } from '@ledgerline/messaging';

type Log = (level: 'error' | 'fatal', message: string) => void;

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** A lost connection to a part underneath (Postgres restarting, a refused socket): a state to wait out, not a bug. */
export const isSurvivable = (error: unknown): boolean => isDatabaseUnavailable(error) || isConnectionFailure(error);

/**
 * The last line of defence, for a rejection or an 'error' event nothing handled. A connection that was lost
 * (the database restarting under a pool client nobody was listening on) must not end the process: every
 * component that needs the database retries on its own, and readiness reports it down meanwhile. Anything
 * else is a bug whose state cannot be trusted, so the process ends, as Node would end it, with the stack.
 */
export function installProcessGuards(log: Log, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onFault = (kind: string) => (error: unknown) => {
    if (isSurvivable(error)) {
      log('error', `${kind} from a lost connection, carrying on: ${describe(error)}`);
      return;
    }
    log('fatal', `${kind}: ${describe(error)}`);
    exit(1);
  };
  const onRejection = onFault('unhandled rejection');
  const onException = onFault('uncaught exception');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
