import { describeWait, unknownClientMessage, upsertAnswerOrigin } from './pending-sync';

describe('upsertAnswerOrigin', () => {
  const upsert = { id: '7d0c2a52-3f4e-4c1b-9d55-0a8f7e1b2c3d', correlationId: 'erp-flow-1' };

  it('continues the upsert’s own flow when no request waits for the client', () => {
    expect(upsertAnswerOrigin(upsert)).toEqual({ correlationId: 'erp-flow-1', causationId: upsert.id });
  });

  it('continues the parked request’s flow, still caused by the upsert, when a request waits for the client', () => {
    expect(upsertAnswerOrigin(upsert, { correlationId: 'invoice-flow-9' })).toEqual({ correlationId: 'invoice-flow-9', causationId: upsert.id });
  });
});

describe('describeWait', () => {
  it.each([
    [900_000, '15 minutes'],
    [60_000, '1 minute'],
    [604_800_000, '7 days'],
    [86_400_000, '1 day'],
    [7_200_000, '2 hours'],
    [90_000, '90 seconds'],
    [1_000, '1 second'],
    [1_500, '1.5 seconds'],
    [250, '0.25 seconds'],
  ])('says %i ms as "%s"', (ms, words) => {
    expect(describeWait(ms)).toBe(words);
  });
});

describe('unknownClientMessage', () => {
  it('names the client, the missing event and the wait', () => {
    expect(unknownClientMessage('C-42', 900_000)).toBe('Client C-42 is unknown to Ledgerline: no client.upserted for it arrived within 15 minutes of the sync request');
  });
});
