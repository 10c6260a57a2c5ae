import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isConnectionFailure, isDatabaseUnavailable } from './database-unavailable';

/** An error as node-postgres builds it from the server's ErrorResponse. */
const serverError = (code: string, message: string): DatabaseError => Object.assign(new DatabaseError(message, 0, 'error'), { code, severity: 'FATAL' });

/** A refused connect as Node's net module reports it. */
const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 5432 });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection because of crash of another server process'],
    ['57P03', 'the database system is shutting down'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
    ['08001', 'could not connect'],
    ['08P01', 'protocol violation'],
  ])('says yes to SQLSTATE %s (%s)', (code, message) => {
    expect(isDatabaseUnavailable(serverError(code, message))).toBe(true);
  });

  it.each(['Connection terminated unexpectedly', 'Connection terminated', 'Connection terminated due to connection timeout', 'timeout exceeded when trying to connect', 'Client has encountered a connection error and is not queryable'])(
    'says yes to the driver message "%s"',
    (message) => {
      expect(isDatabaseUnavailable(new Error(message))).toBe(true);
    },
  );

  it('looks through TypeORM, cause and AggregateError wrappers', () => {
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], serverError('57P01', 'terminating connection due to administrator command')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('budget store unavailable', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Error('x'), serverError('57P03', 'the database system is starting up')]))).toBe(true);
  });

  it.each([
    ['a unique violation', serverError('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', serverError('42601', 'syntax error at or near "SELCT"')],
    ['a serialization failure', serverError('40001', 'could not serialize access')],
    ['a check violation in TypeORM', new QueryFailedError('INSERT', [], serverError('23514', 'violates check constraint'))],
    ['a refused socket (it may not be the database)', refused()],
    ['a message that merely mentions connections', new Error('Connection to Xero terminated by the contact rule')],
  ])('says no to %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it.each([undefined, null, 'Connection terminated', 42])('says no to %p, which is not an error', (value) => {
    expect(isDatabaseUnavailable(value)).toBe(false);
  });

  it('does not loop on an error that is its own cause', () => {
    const error = new Error('odd') as Error & { cause?: unknown };
    error.cause = error;
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isConnectionFailure', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN'])('says yes to %s', (code) => {
    expect(isConnectionFailure(Object.assign(new Error(`connect ${code}`), { code }))).toBe(true);
  });

  it("finds it inside fetch's TypeError and a dual-stack AggregateError", () => {
    expect(isConnectionFailure(new TypeError('fetch failed', { cause: refused() }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new AggregateError([refused(), refused()]), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionFailure(new AggregateError([refused()]))).toBe(true);
  });

  it('says no to server errors and plain failures', () => {
    expect(isConnectionFailure(serverError('57P01', 'terminating connection due to administrator command'))).toBe(false);
    expect(isConnectionFailure(new Error('ECONNREFUSED in a message is not a code'))).toBe(false);
  });
});
