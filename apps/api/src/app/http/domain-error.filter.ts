import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@smilepay/shared/domain';
import { ConcurrencyConflictError } from '@smilepay/shared/eventstore';
import type { Response } from 'express';
import type { ErrorBody } from './error-body';

const statusByKind: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  precondition: HttpStatus.PRECONDITION_FAILED,
};

/** Maps every error to `{ code, message, details }`; unknown errors become 500 without leaking internals. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.describe(error);
    if (status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
    response.status(status).json(body);
  }

  private describe(error: unknown): [number, ErrorBody] {
    if (error instanceof DomainError) {
      return [statusByKind[error.kind], { code: error.code, message: error.message, details: error.details }];
    }
    if (error instanceof ConcurrencyConflictError) {
      return [HttpStatus.CONFLICT, { code: 'concurrency_conflict', message: error.message, details: { streamId: error.streamId } }];
    }
    if (error instanceof HttpException) {
      return [error.getStatus(), httpExceptionBody(error)];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'internal_error', message: 'internal error', details: {} }];
  }
}

function httpExceptionBody(error: HttpException): ErrorBody {
  const response = error.getResponse();
  if (typeof response === 'object' && response !== null && 'code' in response && 'message' in response) {
    const r = response as Partial<ErrorBody>;
    return { code: String(r.code), message: String(r.message), details: r.details ?? {} };
  }
  const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
  const details = Array.isArray(message) ? { problems: message } : {};
  const code = codeForStatus(error.getStatus());
  return { code, message: Array.isArray(message) ? 'request body is invalid' : String(message), details };
}

function codeForStatus(status: number): string {
  const codes: Record<number, string> = { 413: 'body_too_large', 400: 'invalid_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 429: 'rate_limited' };
  return codes[status] ?? 'http_error';
}
