import { type Decider, DomainError, fold } from '@smilepay/shared/domain';

/**
 * Decider specifications in the form of STYLE.md §6: given(events).when(command).then(events) or
 * .thenThrows(code). Framework-free on purpose (it throws plain Errors), so it stays a pure-TypeScript module
 * inside a domain lib; jest reports the thrown message.
 */
export interface Outcome<Event> {
  then(expected: readonly Event[]): void;
  /** Nothing changes: decide returns no events. */
  thenNothing(): void;
  thenThrows(code: string, kind?: DomainError['kind']): DomainError;
  /** The events, for the rare spec that checks one field of a large event. */
  events(): Event[];
}

export function specFor<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given: (history: readonly Event[]) => ({
      when: (command: Command): Outcome<Event> => outcome(() => decider.decide(command, fold(decider, history))),
    }),
  };
}

function outcome<Event>(run: () => Event[]): Outcome<Event> {
  const events = (): Event[] => run();
  const then = (expected: readonly Event[]): void => {
    const actual = run();
    if (show(actual) !== show(expected)) {
      throw new Error(`decide emitted unexpected events\nexpected: ${show(expected)}\nactual:   ${show(actual)}`);
    }
  };
  return {
    then,
    thenNothing: () => then([]),
    events,
    thenThrows: (code, kind) => {
      let actual: Event[];
      try {
        actual = run();
      } catch (error) {
        if (!(error instanceof DomainError)) throw new Error(`expected DomainError ${code}, got ${String(error)}`);
        if (error.code !== code) throw new Error(`expected DomainError ${code}, got ${error.code}: ${error.message}`);
        if (kind !== undefined && error.kind !== kind)
          throw new Error(`expected ${code} of kind ${kind}, got ${error.kind}`);
        return error;
      }
      throw new Error(`expected DomainError ${code}, but decide emitted ${show(actual)}`);
    },
  };
}

/** Stable text for comparison and messages: sorted keys (events are JSON-safe), undefined fields dropped. */
function show(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : item,
  );
}
