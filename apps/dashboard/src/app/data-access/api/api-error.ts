import { HttpErrorResponse } from '@angular/common/http';

/** The api's one error format (apps/api error-body.ts). */
interface ErrorBody {
  code: string;
  message: string;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).message === 'string';
}

/** A sentence for the user describing why a call failed. */
export function describeError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The api could not be reached. Check the connection and try again.';
    if (isErrorBody(error.error)) return error.error.message;
    if (error.status === 403) return 'Your role is not allowed to do this.';
    if (error.status === 404) return 'Not found.';
    return `The api answered ${error.status} ${error.statusText}`.trim() + '.';
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** Whether sending the same request again (with the same idempotency key) might succeed. */
export function isRetryable(error: unknown): boolean {
  return error instanceof HttpErrorResponse && (error.status === 0 || error.status >= 500 || error.status === 429);
}
