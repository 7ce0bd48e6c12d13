import { BadRequestException, CallHandler, ConflictException, ExecutionContext, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { canonicalJson, WrongExpectedVersionError, type EventStore } from '@smilepay/shared/eventstore';
import { createHash } from 'node:crypto';
import { from, mergeMap, type Observable, of } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { requestContext } from './request-context';
import { EVENT_STORE } from '../infrastructure/tokens';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** Largest response remembered; anything bigger is not replayed but re-executed (the commands are idempotent anyway). */
const MAX_REMEMBERED_BYTES = 64 * 1024;

interface RememberedResponse {
  owner: string;
  method: string;
  path: string;
  fingerprint: string;
  body: unknown;
  recordedAt: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The key a request carries, validated; every mutating claims and alerts route requires one. */
export function idempotencyKeyOf(request: AuthenticatedRequest): string {
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new BadRequestException({
      code: 'idempotency_key_required',
      message: 'send an Idempotency-Key header of 8-128 characters of [A-Za-z0-9._:-]',
      details: { header: 'Idempotency-Key' },
    });
  }
  return key;
}

/**
 * Makes a repeated request with the same Idempotency-Key return the first answer. The answer is remembered in the
 * event store (stream `apiidempotency-<sha256(user, key)>`, appended with no_stream), so every api instance sees it
 * and it survives restarts. The same key with another method, path or body is refused. Failures are not remembered:
 * the commands behind these routes are idempotent, so a retry after an error simply runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = idempotencyKeyOf(request);
    const owner = request.user?.sub ?? 'anonymous';
    const streamId = `apiidempotency-${sha256(`${owner}\n${key}`)}`;
    const path = request.path;
    const fingerprint = sha256(canonicalJson({ method: request.method, path, body: request.body ?? null }));
    return from(this.store.readStream(streamId, { maxCount: 1 })).pipe(
      mergeMap(([remembered]) => {
        if (remembered === undefined) return next.handle().pipe(mergeMap((body) => from(this.remember(streamId, { owner, method: request.method, path, fingerprint, body }, request))));
        const previous = remembered.data as RememberedResponse;
        if (previous.fingerprint !== fingerprint) {
          throw new ConflictException({
            code: 'idempotency_key_reused',
            message: 'this Idempotency-Key was used for another request',
            details: { path: previous.path },
          });
        }
        return of(previous.body);
      }),
    );
  }

  private async remember(streamId: string, response: Omit<RememberedResponse, 'recordedAt'>, request: AuthenticatedRequest): Promise<unknown> {
    const data: RememberedResponse = { ...response, recordedAt: new Date().toISOString() };
    if (JSON.stringify(data).length > MAX_REMEMBERED_BYTES) return response.body;
    const { correlationId, actor } = requestContext(request);
    const metadata = { correlationId, causationId: correlationId, actor, schemaVersion: 1 };
    try {
      await this.store.append(streamId, [{ type: 'IdempotentResponseRecorded', data, metadata }], { expectedState: 'no_stream' });
    } catch (error) {
      // A concurrent request with the same key got there first; both ran the same idempotent command.
      if (!(error instanceof WrongExpectedVersionError)) this.logger.warn(`could not remember a response: ${String(error)}`);
    }
    return response.body;
  }
}
