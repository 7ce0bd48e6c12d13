import type { Decider } from '../decider';
import { DomainError } from '../domain-error';

/** The slice of jest's `expect` the helper needs; passed in so this file compiles without jest types. */
export type Expect = (actual: unknown) => { toEqual(expected: unknown): void };

/**
 * Given/when/then for deciders (STYLE.md §6): `spec.given(events).when(command).then(events)`,
 * `.thenNothing()` or `.thenThrows(code)`. Assertions go through the caller's `expect` so failures show jest's diff.
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>, expect: Expect) {
  return {
    given(history: readonly Event[]) {
      return {
        when(command: Command) {
          const run = (): Event[] => {
            const state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState());
            return decider.decide(command, state);
          };
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenNothing(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(code: string): void {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught instanceof DomainError ? caught.code : caught).toEqual(code);
            },
          };
        },
      };
    },
  };
}
