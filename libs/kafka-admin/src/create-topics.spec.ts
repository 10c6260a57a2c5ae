import { Admin, KafkaJSProtocolError } from 'kafkajs';
import { createTopicsAndWait } from './create-topics';

const protocolError = (type: string) => Object.assign(new KafkaJSProtocolError(type), { type });
const topic = (name: string, leaders: number[]) => ({ name, partitions: leaders.map((leader, partitionId) => ({ partitionId, leader, replicas: [1], isr: [1], partitionErrorCode: 0 })) });

function fakeAdmin(answers: (() => unknown)[]): { admin: Admin; createTopics: jest.Mock; fetchTopicMetadata: jest.Mock } {
  const createTopics = jest.fn().mockResolvedValue(true);
  const fetchTopicMetadata = jest.fn(async () => {
    const next = answers.shift();
    if (!next) throw new Error('asked once too often');
    return next();
  });
  return { admin: { createTopics, fetchTopicMetadata } as unknown as Admin, createTopics, fetchTopicMetadata };
}

describe('createTopicsAndWait', () => {
  it('waits through UNKNOWN_TOPIC_OR_PARTITION and leaderless partitions until every partition has a leader', async () => {
    const { admin, createTopics, fetchTopicMetadata } = fakeAdmin([
      () => {
        throw protocolError('UNKNOWN_TOPIC_OR_PARTITION');
      },
      () => {
        throw protocolError('LEADER_NOT_AVAILABLE');
      },
      () => ({ topics: [topic('a', [1, -1, 1]), topic('b', [1])] }),
      () => ({ topics: [topic('a', [1, 1, 1]), topic('b', [1])] }),
    ]);
    await createTopicsAndWait(admin, [{ topic: 'a', numPartitions: 3 }, { topic: 'b' }]);
    expect(createTopics).toHaveBeenCalledWith({ topics: [{ topic: 'a', numPartitions: 3 }, { topic: 'b' }], waitForLeaders: false });
    expect(fetchTopicMetadata).toHaveBeenCalledTimes(4);
    expect(fetchTopicMetadata).toHaveBeenLastCalledWith({ topics: ['a', 'b'] });
  });

  it('passes any other error on at once', async () => {
    const { admin, fetchTopicMetadata } = fakeAdmin([
      () => {
        throw protocolError('TOPIC_AUTHORIZATION_FAILED');
      },
    ]);
    await expect(createTopicsAndWait(admin, [{ topic: 'a' }])).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(fetchTopicMetadata).toHaveBeenCalledTimes(1);
  });

  it('gives up after the timeout, saying what it was still waiting for', async () => {
    const { admin } = fakeAdmin(Array.from({ length: 100 }, () => () => ({ topics: [topic('a', [-1])] })));
    await expect(createTopicsAndWait(admin, [{ topic: 'a' }], 300)).rejects.toThrow('topics a were not ready within 300 ms (no leader yet for a)');
  });

  it('does nothing for no topics', async () => {
    const { admin, createTopics } = fakeAdmin([]);
    await createTopicsAndWait(admin, []);
    expect(createTopics).not.toHaveBeenCalled();
  });
});
