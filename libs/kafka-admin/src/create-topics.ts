import { Admin, ITopicConfig } from 'kafkajs';

/** Answers a broker gives for a topic it created a moment ago and has not finished setting up. */
const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the topics (those that exist already are left as they are) and waits until every partition
 * has a leader. kafkajs's own `waitForLeaders` retries only LEADER_NOT_AVAILABLE, while a KRaft broker
 * under load also answers UNKNOWN_TOPIC_OR_PARTITION for a while after creating a topic.
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  if (topics.length === 0) return;
  await admin.createTopics({ topics, waitForLeaders: false });
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (let delay = 50; Date.now() < deadline; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
      const leaderless = metadata.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0)).map((t) => t.name);
      if (leaderless.length === 0) return;
      last = `no leader yet for ${leaderless.join(', ')}`;
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (!type || !SETTLING.has(type)) throw error;
      last = type;
    }
    await sleep(delay);
  }
  throw new Error(`topics ${names.join(', ')} were not ready within ${timeoutMs} ms (${last})`);
}
