import { upsertById } from './upsert-by-id';

describe('upsertById', () => {
  const list = [
    { id: 'a', v: 1 },
    { id: 'b', v: 1 },
  ];

  it('replaces an element in place', () => {
    expect(upsertById(list, { id: 'b', v: 2 }, 'id', 10)).toEqual([{ id: 'a', v: 1 }, { id: 'b', v: 2 }]);
  });

  it('puts a new element first and keeps the limit', () => {
    expect(upsertById(list, { id: 'c', v: 1 }, 'id', 2).map((x) => x.id)).toEqual(['c', 'a']);
  });
});
