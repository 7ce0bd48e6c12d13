/** Structurally a subset of Nest's LoggerService, so a Nest Logger can be passed as is. */
export interface AuditLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

export const silentAuditLogger: AuditLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
