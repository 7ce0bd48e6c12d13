import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import { deciderSpec } from './given-when-then';

type Counter = { count: number };
const counter: Decider<{ add: number }, { added: number }, Counter> = {
  initialState: () => ({ count: 0 }),
  evolve: (s, e) => ({ count: s.count + e.added }),
  decide: (c, s) => {
    if (c.add < 0) throw new DomainError('negative', 'no negatives');
    if (s.count + c.add > 10) throw new DomainError('too_many', 'at most 10');
    return c.add === 0 ? [] : [{ added: c.add }];
  },
};

describe('deciderSpec', () => {
  const spec = deciderSpec(counter, expect);

  it('folds the history before deciding', () => spec.given([{ added: 4 }]).when({ add: 6 }).then([{ added: 6 }]));
  it('reports nothing when nothing changes', () => spec.given([]).when({ add: 0 }).thenNothing());
  it('reports the code of a refusal', () => spec.given([{ added: 9 }]).when({ add: 2 }).thenThrows('too_many'));
  it('fails when the decider emits something else', () => {
    expect(() => spec.given([]).when({ add: 1 }).then([{ added: 2 }])).toThrow();
    expect(() => spec.given([]).when({ add: 1 }).thenThrows('negative')).toThrow();
  });
});
