import type { LedgerRequestContext } from '@smilepay/ledger/application';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedRequest } from '../auth/auth.guard';

const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Who asked and under which correlation id. A well-formed `X-Correlation-Id` from the caller is kept so a flow can be
 * followed across the gateway, the api and the event store; anything else gets a fresh id.
 */
export function requestContext(request: AuthenticatedRequest, actor?: string): LedgerRequestContext {
  const header = request.headers['x-correlation-id'];
  const given = typeof header === 'string' && CORRELATION.test(header) ? header : undefined;
  return {
    correlationId: given ?? randomUUID(),
    actor: actor ?? (request.user ? `${request.user.role}:${request.user.sub}` : 'anonymous'),
  };
}
