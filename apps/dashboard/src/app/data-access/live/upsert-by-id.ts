/**
 * Replaces the element with the same id or puts a new one first, keeping at most `limit` elements.
 * Used for the alert and claim queues, which the socket updates one item at a time.
 */
export function upsertById<T, K extends keyof T>(list: readonly T[], item: T, key: K, limit: number): readonly T[] {
  const index = list.findIndex((existing) => existing[key] === item[key]);
  if (index >= 0) {
    const next = list.slice();
    next[index] = item;
    return next;
  }
  return [item, ...list].slice(0, limit);
}
