import fs from 'node:fs';
import net from 'node:net';
import { Pool } from 'pg';
import { createTestDatabase, freePort } from './infrastructure';

describe('freePort', () => {
  it('picks ports below the range the kernel gives outgoing connections, and they can be bound', async () => {
    const floor = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(floor);
    }
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('createTestDatabase', () => {
  it('drops a database right after its pool ends without terminating sessions under the pool', async () => {
    const errors: Error[] = [];
    for (let round = 0; round < 10; round++) {
      const database = await createTestDatabase();
      const pool = new Pool({ connectionString: database.url, max: 4 });
      pool.on('error', (error) => errors.push(error));
      const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
      for (const client of clients) {
        client.on('error', (error) => errors.push(error));
        client.release();
      }
      await pool.end();
      await database.drop();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors.map((e) => e.message)).toEqual([]);
  }, 60_000);
});
