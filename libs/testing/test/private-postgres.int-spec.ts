import fs from 'node:fs';
import { Client } from 'pg';
import { createTestDatabase, PrivatePostgres, startPrivatePostgres } from '../src';

jest.setTimeout(120_000);

const selectOne = async (url: string): Promise<number> => {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
};

describe('startPrivatePostgres', () => {
  let server: PrivatePostgres | undefined;

  afterAll(async () => {
    await server?.destroy();
  });

  it('runs a server of its own that can be stopped, restarted and removed, keeping its data meanwhile', async () => {
    server = await startPrivatePostgres();
    expect(server.port).not.toBe(5432);
    expect(await selectOne(server.url)).toBe(1);
    const database = await createTestDatabase(server.url);
    expect(new URL(database.url).port).toBe(String(server.port));
    await selectOne(database.url);

    const session = new Client({ connectionString: database.url });
    const lost = new Promise<Error>((resolve) => session.on('error', resolve));
    await session.connect();
    await server.stop('fast');
    expect(server.running).toBe(false);
    // A fast stop ends open sessions, as a failover does.
    expect((await lost).message).toMatch(/terminat/i);
    await expect(selectOne(database.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await server.start();
    expect(await selectOne(database.url)).toBe(1);
    await server.restart(200);
    expect(await selectOne(database.url)).toBe(1);
    await database.drop();

    const directory = server.directory;
    expect(fs.existsSync(directory)).toBe(true);
    await server.destroy();
    server = undefined;
    expect(fs.existsSync(directory)).toBe(false);
  });
});
