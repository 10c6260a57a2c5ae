import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('runs the work once for concurrent callers with the same key and shares the result', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release!: (value: number) => void;
    const work = () => {
      runs += 1;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const callers = Promise.all([flight.run('a', work), flight.run('a', work), flight.run('a', work)]);
    release(42);
    expect(await callers).toEqual([42, 42, 42]);
    expect(runs).toBe(1);
  });

  it('runs again once the previous run settled, and keeps keys apart', async () => {
    const flight = new SingleFlight<string>();
    let runs = 0;
    const work = async () => `run-${++runs}`;
    expect(await flight.run('a', work)).toBe('run-1');
    expect(await flight.run('a', work)).toBe('run-2');
    expect(await Promise.all([flight.run('a', work), flight.run('b', work)])).toEqual(['run-3', 'run-4']);
  });

  it('shares a failure and forgets it', async () => {
    const flight = new SingleFlight<string>();
    const failing = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([flight.run('a', failing), flight.run('a', failing)])).rejects.toThrow('boom');
    expect(await flight.run('a', async () => 'recovered')).toBe('recovered');
  });
});
