import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { LoadState } from '../data-access/live/load-state';

/**
 * The loading, error and empty states around a list or a detail, so every page shows them the same way.
 * The projected content is shown once the data is there and not empty.
 */
@Component({
  selector: 'sp-load-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (state().status) {
      @case ('error') {
        <div class="state state-error" role="alert">
          <strong>Could not load {{ what() }}.</strong>
          <span>{{ state().error }}</span>
          <button type="button" class="btn btn-ghost" (click)="retry.emit()">Try again</button>
        </div>
      }
      @case ('ready') {
        @if (empty()) {
          <div class="state state-empty">
            <strong>{{ emptyTitle() }}</strong>
            @if (emptyHint()) {
              <span>{{ emptyHint() }}</span>
            }
          </div>
        } @else {
          <ng-content />
        }
      }
      @default {
        <div class="state state-loading" aria-busy="true"><span class="spinner"></span>Loading {{ what() }}…</div>
      }
    }
  `,
})
export class LoadStateView {
  readonly state = input.required<LoadState>();
  /** What is being loaded, for the messages: 'payments', 'the timeline'. */
  readonly what = input.required<string>();
  readonly empty = input(false);
  readonly emptyTitle = input('Nothing here yet.');
  readonly emptyHint = input<string | null>(null);
  readonly retry = output();
}
