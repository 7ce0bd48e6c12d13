import { HttpClient, HttpParams } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type { AuditEventView, AuditPublicKeyView, AuditStreamPage, AuditVerificationView } from '@smilepay/shared/contracts';
import { describeError } from '../data-access/api/api-error';
import { AuthStore } from '../data-access/auth/auth.store';
import { API_BASE_URL } from '../data-access/config/api-base-url';
import { failed, idle, loading, ready, type LoadState } from '../data-access/live/load-state';

/** Events shown per stream page; the api allows up to 500. */
export const STREAM_PAGE = 100;
/** How often a running verification is polled, and for how long at most (a million events verify in under a minute). */
const POLL_MS = 500;
const MAX_POLLS = 1_200;

/** Verification progress in percent (0–100), from events checked against the head when it started. */
export function progressPercent(view: AuditVerificationView | null): number {
  if (!view) return 0;
  if (view.status !== 'running') return 100;
  const head = Number(view.progress.headPosition);
  const at = Number(view.progress.position);
  return head > 0 ? Math.min(100, Math.max(0, Math.floor((at / head) * 100))) : 0;
}

/** The export url for a position range; empty bounds are left out (start and head of $all). */
export function exportUrl(base: string, fromPosition: string, toPosition: string): string {
  const params = new URLSearchParams();
  if (fromPosition.trim()) params.set('fromPosition', fromPosition.trim());
  if (toPosition.trim()) params.set('toPosition', toPosition.trim());
  const query = params.toString();
  return `${base}/v1/audit/export${query ? `?${query}` : ''}`;
}

/** State of the audit page: the stream browser, the running verification, the export and the sealing key. */
@Injectable()
export class AuditStore {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthStore);
  private readonly baseUrl = inject(API_BASE_URL);
  private readonly base = `${this.baseUrl}/v1/audit`;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  readonly streamId = signal('');
  readonly events = signal<readonly AuditEventView[]>([]);
  readonly nextRevision = signal<string | null>(null);
  readonly streamState = signal<LoadState>(idle);

  readonly verification = signal<AuditVerificationView | null>(null);
  readonly verifyError = signal<string | null>(null);
  readonly verifying = computed(() => this.verification()?.status === 'running');
  readonly progress = computed(() => progressPercent(this.verification()));

  readonly exportState = signal<LoadState>(idle);
  readonly exportFile = signal<{ url: string; name: string } | null>(null);

  readonly publicKey = signal<AuditPublicKeyView | null>(null);
  readonly keyState = signal<LoadState>(idle);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.pollTimer);
      this.revokeExport();
    });
  }

  /** Loads a stream from its start, or the next page when `more` is set. */
  loadStream(more = false): void {
    const streamId = this.streamId().trim();
    if (!streamId) return;
    const from = more ? (this.nextRevision() ?? '0') : '0';
    this.streamState.set(loading);
    const params = new HttpParams().set('fromRevision', from).set('limit', STREAM_PAGE);
    this.http.get<AuditStreamPage>(`${this.base}/streams/${encodeURIComponent(streamId)}`, { params }).subscribe({
      next: (page) => {
        this.events.set(more ? [...this.events(), ...page.events] : page.events);
        this.nextRevision.set(page.nextRevision);
        this.streamState.set(ready);
      },
      error: (error: unknown) => this.streamState.set(failed(describeError(error))),
    });
  }

  verify(): void {
    if (this.verifying()) return;
    this.verifyError.set(null);
    this.http.post<{ id: string }>(`${this.base}/verifications`, {}).subscribe({
      next: ({ id }) => this.poll(id, 0),
      error: (error: unknown) => this.verifyError.set(describeError(error)),
    });
  }

  private poll(id: string, count: number): void {
    this.http.get<AuditVerificationView>(`${this.base}/verifications/${encodeURIComponent(id)}`).subscribe({
      next: (view) => {
        this.verification.set(view);
        if (view.status !== 'running') return;
        if (count >= MAX_POLLS) {
          this.verifyError.set('Still running; check again later.');
          return;
        }
        this.pollTimer = setTimeout(() => this.poll(id, count + 1), POLL_MS);
      },
      error: (error: unknown) => this.verifyError.set(describeError(error)),
    });
  }

  /** Downloads the range with the bearer token (a plain link could not carry it) and offers it as a blob link. */
  async exportRange(fromPosition: string, toPosition: string): Promise<void> {
    this.exportState.set(loading);
    this.revokeExport();
    try {
      const response = await fetch(exportUrl(this.baseUrl, fromPosition, toPosition), {
        headers: { authorization: `Bearer ${this.auth.token() ?? ''}` },
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { message?: string } | null;
        throw new Error(body?.message ?? `The api answered ${response.status}.`);
      }
      const blob = await response.blob();
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'smilepay-export.ndjson';
      this.exportFile.set({ url: URL.createObjectURL(blob), name });
      this.exportState.set(ready);
    } catch (error) {
      this.exportState.set(failed(describeError(error)));
    }
  }

  loadPublicKey(): void {
    this.keyState.set(loading);
    this.http.get<AuditPublicKeyView>(`${this.base}/public-key`).subscribe({
      next: (key) => {
        this.publicKey.set(key);
        this.keyState.set(ready);
      },
      error: (error: unknown) => this.keyState.set(failed(describeError(error))),
    });
  }

  private revokeExport(): void {
    const file = this.exportFile();
    if (file) URL.revokeObjectURL(file.url);
    this.exportFile.set(null);
  }
}
