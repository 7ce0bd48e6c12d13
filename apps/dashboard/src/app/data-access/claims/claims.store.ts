import { computed, inject, Injectable, signal } from '@angular/core';
import type { ClaimView } from '@smilepay/shared/contracts';
import { Observable, tap } from 'rxjs';
import { describeError } from '../api/api-error';
import { DashboardApi } from '../api/dashboard-api';
import { LiveSocket } from '../live/live-socket';
import { failed, idle, loading, ready, type LoadState } from '../live/load-state';
import { upsertById } from '../live/upsert-by-id';

export const CLAIMS_LIMIT = 500;

const decided = new Set(['approved', 'reimbursed', 'rejected']);

/** The loss-claims queue: loaded over REST, kept current by `claim.updated`. */
@Injectable({ providedIn: 'root' })
export class ClaimsStore {
  private readonly api = inject(DashboardApi);
  private readonly claimsState = signal<readonly ClaimView[]>([]);
  private readonly loadState = signal<LoadState>(idle);

  readonly state = this.loadState.asReadonly();
  /** Undecided claims first, oldest first (they are closest to their SLA), then decided ones newest first. */
  readonly claims = computed(() =>
    [...this.claimsState()].sort((a, b) => {
      const aDone = decided.has(a.status);
      const bDone = decided.has(b.status);
      if (aDone !== bDone) return Number(aDone) - Number(bDone);
      const age = Date.parse(a.filedAt) - Date.parse(b.filedAt);
      return aDone ? -age : age;
    }),
  );
  readonly openCount = computed(() => this.claimsState().filter((claim) => !decided.has(claim.status)).length);

  constructor() {
    const live = inject(LiveSocket);
    live.on('claim.updated', (claim) => this.receive(claim));
    live.onConnect(() => {
      if (this.loadState().status !== 'idle') this.refresh();
    });
  }

  refresh(): void {
    if (this.loadState().status !== 'ready') this.loadState.set(loading);
    this.api.claims().subscribe({
      next: (claims) => {
        this.claimsState.set(claims.slice(0, CLAIMS_LIMIT));
        this.loadState.set(ready);
      },
      error: (error: unknown) => this.loadState.set(failed(describeError(error))),
    });
  }

  receive(claim: ClaimView): void {
    if (typeof claim?.claimId !== 'string') return;
    this.claimsState.update((claims) => upsertById(claims, claim, 'claimId', CLAIMS_LIMIT));
  }

  assign(claimId: string): Observable<unknown> {
    return this.api.assignClaim(claimId).pipe(tap(() => this.refresh()));
  }

  approve(claimId: string, amountMinor: string): Observable<unknown> {
    return this.api.approveClaim(claimId, amountMinor).pipe(tap(() => this.refresh()));
  }

  reject(claimId: string, reason: string): Observable<unknown> {
    return this.api.rejectClaim(claimId, reason).pipe(tap(() => this.refresh()));
  }
}
