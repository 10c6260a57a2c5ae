import { RollingWindow } from './rolling-window';

describe('RollingWindow', () => {
  it('counts calls for exactly the window length after each call', () => {
    const window = new RollingWindow(1000);
    window.add(0);
    window.add(400);
    expect(window.count(999)).toBe(2);
    expect(window.count(1000)).toBe(1);
    expect(window.msUntilSlotFrees(1000)).toBe(400);
    expect(window.count(1400)).toBe(0);
    expect(window.msUntilSlotFrees(1400)).toBe(0);
  });

  it('does not allow a double burst around a boundary the way fixed buckets do', () => {
    const window = new RollingWindow(60_000);
    for (let i = 0; i < 60; i++) window.add(59_000 + i);
    // A fixed per-minute bucket would reset at 60 000 ms; a rolling window still holds all 60 calls.
    expect(window.count(60_500)).toBe(60);
    expect(window.msUntilSlotFrees(60_500)).toBe(58_500);
  });
});
