import { queryRows } from './query-rows';

const answering = (result: unknown) => ({ query: async () => result });

describe('queryRows', () => {
  it('reads the rows of an UPDATE or DELETE, which TypeORM answers as [rows, rowCount]', async () => {
    expect(await queryRows(answering([[{ id: 1 }, { id: 2 }], 2]), 'UPDATE …')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await queryRows(answering([[], 0]), 'UPDATE …')).toEqual([]);
  });

  it('passes the rows of any other statement through', async () => {
    expect(await queryRows(answering([{ id: 1 }]), 'SELECT …')).toEqual([{ id: 1 }]);
    expect(await queryRows(answering([]), 'INSERT … RETURNING …')).toEqual([]);
  });
});
