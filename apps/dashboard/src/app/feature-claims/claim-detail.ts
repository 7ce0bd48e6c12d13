import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { catchError, map, of, switchMap, tap } from 'rxjs';
import { ActionRunner } from '../data-access/api/action-runner';
import { describeError } from '../data-access/api/api-error';
import { DashboardApi } from '../data-access/api/dashboard-api';
import type { ClaimEvidencePack } from '../data-access/api/pending-contracts';
import { AuthStore } from '../data-access/auth/auth.store';
import { ClaimsStore } from '../data-access/claims/claims.store';
import { failed, loading, ready, type LoadState } from '../data-access/live/load-state';
import { compareMinor, minorToMajorInput, parseMajorToMinor } from '../data-access/money/money';
import { DurationPipe } from '../ui/duration.pipe';
import { LoadStateView } from '../ui/load-state';
import { MoneyPipe } from '../ui/money.pipe';
import { StatusChip } from '../ui/status-chip';
import { EvidencePackView } from './evidence-pack';

/** Longest rejection reason sent to the api. */
export const MAX_REASON_LENGTH = 500;

/** One claim: its facts, the decision actions for analysts and admins, and the evidence pack. */
@Component({
  selector: 'sp-claim-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, DurationPipe, EvidencePackView, LoadStateView, MoneyPipe, StatusChip],
  templateUrl: './claim-detail.html',
  styleUrl: './claim-detail.css',
})
export class ClaimDetail {
  private readonly api = inject(DashboardApi);
  protected readonly store = inject(ClaimsStore);
  protected readonly auth = inject(AuthStore);
  protected readonly actions = new ActionRunner();
  protected readonly maxReasonLength = MAX_REASON_LENGTH;

  /** Route parameter. */
  readonly claimId = input.required<string>();

  protected readonly claim = computed(() => this.store.claims().find((c) => c.claimId === this.claimId()) ?? null);
  /** The claim comes from the queue the parent page loads; until then its state is the queue's. */
  protected readonly claimState = computed<LoadState>(() => {
    if (this.claim()) return ready;
    const queue = this.store.state();
    return queue.status === 'ready' ? failed('This claim is not in the queue.') : queue;
  });
  protected readonly evidence = signal<ClaimEvidencePack | null>(null);
  protected readonly evidenceState = signal<LoadState>(loading);
  private readonly reloadEvidence = signal(0);

  protected readonly undecided = computed(() => {
    const status = this.claim()?.status;
    return status === 'filed' || status === 'assigned';
  });
  protected readonly assignedToMe = computed(() => this.claim()?.assignee === this.auth.username());

  protected readonly approveInput = signal('');
  protected readonly reasonInput = signal('');
  protected readonly approveCheck = computed(() => {
    const claim = this.claim();
    if (!claim) return { ok: false as const, error: '' };
    const parsed = parseMajorToMinor(this.approveInput(), claim.currency);
    if (!parsed.ok) return parsed;
    if (compareMinor(parsed.amountMinor, claim.claimedMinor) > 0) {
      return { ok: false as const, error: 'the reimbursement cannot exceed the claimed amount' };
    }
    return parsed;
  });
  protected readonly reasonError = computed(() => {
    const reason = this.reasonInput().trim();
    if (reason.length === 0) return 'give a reason the customer can be told';
    return reason.length > MAX_REASON_LENGTH ? `at most ${MAX_REASON_LENGTH} characters` : null;
  });

  constructor() {
    toObservable(computed(() => ({ claimId: this.claimId(), reload: this.reloadEvidence() })))
      .pipe(
        tap(() => this.evidenceState.set(loading)),
        switchMap(({ claimId }) =>
          this.api.evidence(claimId).pipe(
            map((pack) => ({ pack, state: ready })),
            // Caught per request, so a failure leaves the stream open for "Try again".
            catchError((error: unknown) => of({ pack: null, state: failed(describeError(error)) })),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ pack, state }) => {
        this.evidence.set(pack);
        this.evidenceState.set(state);
      });
    // Prefill the approval with the full claimed amount, the usual decision.
    toObservable(computed(() => this.claim()?.claimId ?? null))
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        const claim = this.claim();
        this.approveInput.set(claim ? minorToMajorInput(claim.claimedMinor, claim.currency) : '');
        this.reasonInput.set('');
        this.actions.cancel();
      });
  }

  protected retryEvidence(): void {
    this.reloadEvidence.update((n) => n + 1);
  }

  protected assign(): void {
    this.actions.run(`${this.claimId()}:assign`, this.store.assign(this.claimId()));
  }

  protected approve(): void {
    const check = this.approveCheck();
    if (!check.ok) return;
    this.actions.run(`${this.claimId()}:approve`, this.store.approve(this.claimId(), check.amountMinor), () =>
      this.retryEvidence(),
    );
  }

  protected reject(): void {
    if (this.reasonError()) return;
    this.actions.run(`${this.claimId()}:reject`, this.store.reject(this.claimId(), this.reasonInput().trim()));
  }

  protected inputValue(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement).value;
  }
}
