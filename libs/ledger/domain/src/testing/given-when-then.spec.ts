import type { Decider } from '@smilepay/shared/domain';
import { DomainError } from '@smilepay/shared/domain';
import { specFor } from './given-when-then';

// A counter that refuses to go above 2, to prove the helper fails when it should (tests that cannot fail are useless).
type Event = { type: 'Incremented'; data: { by: number } };
const counter: Decider<{ by: number }, Event, number> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command, total) => {
    if (total + command.by > 2) throw new DomainError('too_high', 'above 2', 'conflict');
    return command.by === 0 ? [] : [{ type: 'Incremented', data: { by: command.by } }];
  },
};
const { given } = specFor(counter);

describe('given/when/then helper', () => {
  it('passes when the events match, whatever the key order', () => {
    given([])
      .when({ by: 1 })
      .then([{ data: { by: 1 }, type: 'Incremented' } as Event]);
  });

  it('fails when the events differ', () => {
    expect(() =>
      given([])
        .when({ by: 1 })
        .then([{ type: 'Incremented', data: { by: 2 } }]),
    ).toThrow(/unexpected events/);
    expect(() => given([]).when({ by: 1 }).thenNothing()).toThrow(/unexpected events/);
  });

  it('checks the error code and kind', () => {
    const history: Event[] = [{ type: 'Incremented', data: { by: 2 } }];
    expect(given(history).when({ by: 1 }).thenThrows('too_high', 'conflict').message).toBe('above 2');
    expect(() => given(history).when({ by: 1 }).thenThrows('other')).toThrow(
      /expected DomainError other, got too_high/,
    );
    expect(() => given(history).when({ by: 1 }).thenThrows('too_high', 'invalid')).toThrow(/of kind invalid/);
    expect(() => given([]).when({ by: 1 }).thenThrows('too_high')).toThrow(/but decide emitted/);
  });
});
