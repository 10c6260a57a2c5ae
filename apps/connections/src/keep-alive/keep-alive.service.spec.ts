import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ConnectionsConfig } from '../config/connections.config';
import { XeroConnectionRepository } from '../connections/xero-connection.repository';
import { OAuthStateStore } from '../oauth/oauth-state.store';
import { AccessTokenService } from '../tokens/access-token.service';
import { KeepAliveService } from './keep-alive.service';

describe('KeepAliveService scheduling', () => {
  const HOUR = 3_600_000;
  let scheduler: SchedulerRegistry;
  let due: jest.Mock;
  let keepAlive: jest.Mock;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-21T10:00:00Z') });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    scheduler = new SchedulerRegistry();
    due = jest.fn().mockResolvedValue(['acme', 'globex']);
    keepAlive = jest.fn().mockResolvedValue(true);
    const config = Object.assign(new ConnectionsConfig(), { KEEP_ALIVE_INTERVAL_MS: HOUR, KEEP_ALIVE_AFTER_DAYS: 7, KEEP_ALIVE_BATCH_SIZE: 100 });
    new KeepAliveService(
      scheduler,
      { dueForKeepAlive: due } as unknown as XeroConnectionRepository,
      { keepAlive } as unknown as AccessTokenService,
      { purgeOld: jest.fn().mockResolvedValue(0) } as unknown as OAuthStateStore,
      config,
    ).onApplicationBootstrap();
  });

  afterEach(() => {
    for (const name of scheduler.getIntervals()) scheduler.deleteInterval(name);
    for (const name of scheduler.getTimeouts()) scheduler.deleteTimeout(name);
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('makes a first pass a minute after start rather than an interval later, then one per interval', async () => {
    await jest.advanceTimersByTimeAsync(59_000);
    expect(due).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(due).toHaveBeenCalledTimes(1);
    // Connections whose refresh token was issued more than 7 days ago are due.
    expect(due).toHaveBeenCalledWith(new Date('2026-11-14T10:01:00Z'), 100);
    expect(keepAlive.mock.calls).toEqual([['acme'], ['globex']]);

    await jest.advanceTimersByTimeAsync(HOUR - 60_000);
    expect(due).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(HOUR);
    expect(due).toHaveBeenCalledTimes(3);
  });
});
