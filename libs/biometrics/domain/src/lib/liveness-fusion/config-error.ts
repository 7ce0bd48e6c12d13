/** A liveness configuration value is missing or out of range. `field` is the dotted path of the bad value. */
export class LivenessConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'LivenessConfigError';
  }
}

type Source = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown, field: string): Source {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LivenessConfigError(field, 'must be an object');
  }
  return value as Source;
}

/** Reads a finite number in [min, max]; the error names the field so a bad boot config is easy to fix. */
export function numberIn(source: Source, key: string, prefix: string, min: number, max: number): number {
  const field = prefix ? `${prefix}.${key}` : key;
  const value = source[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new LivenessConfigError(field, `must be a finite number, got ${JSON.stringify(value)}`);
  }
  if (value < min || value > max) {
    throw new LivenessConfigError(field, `must be in [${min}, ${max}], got ${value}`);
  }
  return value;
}

export function integerIn(source: Source, key: string, prefix: string, min: number, max: number): number {
  const value = numberIn(source, key, prefix, min, max);
  if (!Number.isInteger(value)) {
    throw new LivenessConfigError(prefix ? `${prefix}.${key}` : key, `must be an integer, got ${value}`);
  }
  return value;
}

export function booleanField(source: Source, key: string, prefix: string): boolean {
  const value = source[key];
  if (typeof value !== 'boolean') {
    throw new LivenessConfigError(prefix ? `${prefix}.${key}` : key, `must be a boolean, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws when `low` is not strictly below `high`, naming the field that should move. */
export function ordered(low: number, high: number, lowField: string, highField: string): void {
  if (!(low < high)) {
    throw new LivenessConfigError(highField, `must be greater than ${lowField} (${low}), got ${high}`);
  }
}
