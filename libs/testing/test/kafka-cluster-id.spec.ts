import path from 'node:path';
import { REPO_ROOT } from '../src';

const { newClusterId } = require(path.join(REPO_ROOT, 'tools/kafka/kafka.cjs')) as { newClusterId: (random?: (n: number) => Buffer) => string };

describe("the Kafka launcher's cluster ids", () => {
  it("never start with '-', which the storage tool would read as an option", () => {
    // 0xF8 encodes to '-' (62) as the first base64url character.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.from('0123456789abcdef')];
    const id = newClusterId(() => draws.shift() as Buffer);
    expect(draws).toHaveLength(0);
    expect(id).toBe(Buffer.from('0123456789abcdef').toString('base64url').slice(0, 22));
  });

  it('are 22 base64url characters', () => {
    for (let i = 0; i < 200; i++) expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
