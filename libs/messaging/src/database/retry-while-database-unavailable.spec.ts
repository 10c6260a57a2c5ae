import { retryWhileDatabaseUnavailable } from './retry-while-database-unavailable';

const terminated = () => new Error('Connection terminated unexpectedly');

/** An operation that fails with `failures` in turn, then answers `value`. */
const flaky = <T>(failures: unknown[], value: T) => {
  const queue = [...failures];
  return jest.fn(async () => {
    if (queue.length > 0) throw queue.shift();
    return value;
  });
};

describe('retryWhileDatabaseUnavailable', () => {
  it('runs the operation again while the database is away, then returns its answer', async () => {
    const operation = flaky([terminated(), Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), terminated()], 'recorded');
    await expect(retryWhileDatabaseUnavailable(operation, { firstDelayMs: 1, maxDelayMs: 2 })).resolves.toBe('recorded');
    expect(operation).toHaveBeenCalledTimes(4);
  });

  it('throws any other failure at once', async () => {
    const constraint = Object.assign(new Error('duplicate key'), { code: '23505' });
    const operation = flaky([constraint], 'never');
    await expect(retryWhileDatabaseUnavailable(operation, { firstDelayMs: 1 })).rejects.toBe(constraint);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('gives up with the last error when stopping or out of time', async () => {
    const stopping = retryWhileDatabaseUnavailable(flaky(Array.from({ length: 100 }, terminated), 'never'), { firstDelayMs: 1, stopping: () => true });
    await expect(stopping).rejects.toThrow('Connection terminated unexpectedly');
    const late = flaky(Array.from({ length: 100 }, terminated), 'never');
    await expect(retryWhileDatabaseUnavailable(late, { firstDelayMs: 5, maxDelayMs: 5, giveUpAt: Date.now() + 30 })).rejects.toThrow('Connection terminated');
    expect(late.mock.calls.length).toBeLessThan(10);
  });
});
