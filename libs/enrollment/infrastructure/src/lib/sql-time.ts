/**
 * Timestamps come back as Date from PostgreSQL (timestamptz) and as "YYYY-MM-DD HH:MM:SS.SSS" UTC text from SQLite
 * (TypeORM writes Date parameters that way), so both are read through here.
 */
export function sqlTime(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`;
    const date = new Date(iso);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new Error(`not a timestamp: ${typeof value}`);
}
