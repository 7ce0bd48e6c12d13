import { signal } from '@angular/core';
import type { Observable } from 'rxjs';
import { describeError } from './api-error';

/**
 * The state of a page's mutating actions: which one is in flight, which one awaits confirmation, and the last
 * failure, so buttons can disable themselves and errors show next to the row they belong to.
 * One action at a time per page: analysts act on one item, and it keeps double submits out.
 */
export class ActionRunner {
  private readonly busyState = signal<string | null>(null);
  private readonly confirmingState = signal<string | null>(null);
  private readonly failureState = signal<{ key: string; message: string } | null>(null);

  readonly busy = this.busyState.asReadonly();
  readonly confirming = this.confirmingState.asReadonly();
  readonly failure = this.failureState.asReadonly();

  /** Keys name one action on one item, e.g. `${alertId}:lock-customer`. */
  isBusy(key: string): boolean {
    return this.busyState() === key;
  }

  errorFor(key: string): string | null {
    const failure = this.failureState();
    return failure && failure.key.startsWith(key) ? failure.message : null;
  }

  askToConfirm(key: string): void {
    this.failureState.set(null);
    this.confirmingState.set(key);
  }

  cancel(): void {
    this.confirmingState.set(null);
  }

  run(key: string, request: Observable<unknown>, onSuccess?: () => void): void {
    if (this.busyState() !== null) return;
    this.busyState.set(key);
    this.failureState.set(null);
    request.subscribe({
      next: () => undefined,
      error: (error: unknown) => {
        this.busyState.set(null);
        this.failureState.set({ key, message: describeError(error) });
      },
      complete: () => {
        this.busyState.set(null);
        this.confirmingState.set(null);
        onSuccess?.();
      },
    });
  }
}
