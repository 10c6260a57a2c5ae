import { DatabaseError } from 'pg';
import { installProcessGuards } from './process-guards';

const adminShutdown = () => Object.assign(new DatabaseError('terminating connection due to administrator command', 0, 'error'), { code: '57P01' });

/** Installs the guards with a fake log and exit, and hands back the two listeners they added. */
function guarded() {
  const log = jest.fn();
  const exit = jest.fn();
  const uninstall = installProcessGuards(log, exit);
  const onRejection = process.listeners('unhandledRejection').at(-1) as (reason: unknown) => void;
  const onException = process.listeners('uncaughtException').at(-1) as (error: unknown) => void;
  return { log, exit, uninstall, onRejection, onException };
}

describe('installProcessGuards', () => {
  it('keeps the process up for a rejection or an error event from a lost database connection, and says so', () => {
    const { log, exit, uninstall, onRejection, onException } = guarded();
    try {
      onRejection(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
      onException(adminShutdown());
      onException(new Error('Connection terminated unexpectedly'));
    } finally {
      uninstall();
    }
    expect(exit).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(3);
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('unhandled rejection from a lost connection, carrying on'));
  });

  it('ends the process, with the stack, for anything else', () => {
    const { log, exit, uninstall, onRejection, onException } = guarded();
    try {
      onRejection(new TypeError("Cannot read properties of undefined (reading 'id')"));
      onException(Object.assign(new DatabaseError('duplicate key value violates unique constraint', 0, 'error'), { code: '23505' }));
    } finally {
      uninstall();
    }
    expect(exit).toHaveBeenCalledTimes(2);
    expect(exit).toHaveBeenCalledWith(1);
    expect(log).toHaveBeenCalledWith('fatal', expect.stringMatching(/^unhandled rejection: TypeError: Cannot read properties of undefined[\s\S]*at /));
  });

  it('removes its listeners when uninstalled', () => {
    const before = process.listenerCount('unhandledRejection');
    const { uninstall } = guarded();
    expect(process.listenerCount('unhandledRejection')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('unhandledRejection')).toBe(before);
  });
});
