/**
 * An object's own keys in UTF-16 code unit order (the default sort's order, as RFC 8785 canonical JSON asks). An
 * insertion sort in place: the objects encoded on the hot paths (events, transfer requests) have a handful of keys,
 * and Array.prototype.sort allocated a work copy of each key list, the largest single source of garbage on the
 * append path.
 */
export function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}
