import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { redactField, redactHeaders, redactText, redactUrl } from './log-redaction';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Paths pino blanks even if a serializer above is ever loosened: the request's credentials and signatures. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-internal-signature"]',
  'req.headers["x-terminal-signature"]',
  'res.headers["set-cookie"]',
];

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}

/**
 * nestjs-pino parameters shared by every app: JSON lines on stdout, one `service` field, request logs without
 * bodies, and every message and payload passed through the redaction above before it is written.
 * Health and metrics scrapes are not logged (they would drown everything else).
 */
export function loggerParams(options: { service: string; level: LogLevel }): Params {
  return {
    pinoHttp: {
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)(\/|$|\?)/.test(req.url ?? '') },
      customSuccessMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${redactUrl(req.url ?? '')} ${res.statusCode}`,
      customErrorMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${redactUrl(req.url ?? '')} ${res.statusCode}`,
      serializers: {
        req: (req: SerializedRequest) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url ?? ''),
          remoteAddress: req.remoteAddress,
          headers: redactHeaders(pickHeaders(req.headers)),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      formatters: { log: redactLogObject },
      hooks: {
        // Messages are strings interpolated by our own code, so they are masked too, not only structured fields.
        logMethod(args: unknown[], method: (...a: unknown[]) => void) {
          method.apply(this, redactArgs(args));
        },
      },
    },
  };
}

/** pino takes a lone Error's message as the line's message unmasked, so the message is passed explicitly. */
function redactArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error && typeof rest[0] !== 'string') return [{ err: first }, redactText(first.message), ...rest];
  return args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
}

/**
 * Runs before pino's serializers: `req` and `res` are raw Node objects there, left to the serializers above;
 * everything else (our own fields, errors) is redacted here.
 */
function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) out[key] = key === 'req' || key === 'res' ? value : redactField(key, value);
  return out;
}

/** Only the headers that help debugging; everything else (and so every credential) stays out of the logs. */
function pickHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const keep = ['user-agent', 'content-type', 'content-length', 'x-request-id', 'idempotency-key', 'x-internal-key-id', 'x-terminal-key-id'];
  return Object.fromEntries(keep.filter((name) => headers?.[name] !== undefined).map((name) => [name, headers?.[name]]));
}

/** Parses LOG_LEVEL; returns a problem message naming the variable for anything else. */
export function parseLogLevel(raw: string | undefined, fallback: LogLevel = 'info'): { level: LogLevel } | { problem: string } {
  if (raw === undefined || raw === '') return { level: fallback };
  const level = raw.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return { level: level as LogLevel };
  return { problem: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"` };
}
