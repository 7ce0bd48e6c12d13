import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  ClaimView,
  KpiSnapshot,
  PaymentFeedItem,
  RiskAlertView,
  TimelineEntry,
} from '@smilepay/shared/contracts';
import { Observable, tap } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url';
import { isRetryable } from './api-error';
import { IdempotencyKeys } from './idempotency-keys';
import type { ClaimEvidencePack, CustomerBalanceView, CustomerSummaryView, TerminalView } from './pending-contracts';

export type AlertAction = 'acknowledge' | 'lock-customer' | 'quarantine-terminal';

const segment = encodeURIComponent;

/** Every REST call the dashboard makes. The auth interceptor adds the bearer token. */
@Injectable({ providedIn: 'root' })
export class DashboardApi {
  private readonly http = inject(HttpClient);
  private readonly base = `${inject(API_BASE_URL)}/v1`;
  private readonly idempotency = inject(IdempotencyKeys);

  payments(limit: number): Observable<PaymentFeedItem[]> {
    return this.http.get<PaymentFeedItem[]>(`${this.base}/payments`, { params: new HttpParams().set('limit', limit) });
  }

  payment(paymentId: string): Observable<PaymentFeedItem> {
    return this.http.get<PaymentFeedItem>(`${this.base}/payments/${segment(paymentId)}`);
  }

  timeline(paymentId: string): Observable<TimelineEntry[]> {
    return this.http.get<TimelineEntry[]>(`${this.base}/payments/${segment(paymentId)}/timeline`);
  }

  kpis(): Observable<KpiSnapshot> {
    return this.http.get<KpiSnapshot>(`${this.base}/kpis`);
  }

  alerts(): Observable<RiskAlertView[]> {
    return this.http.get<RiskAlertView[]>(`${this.base}/alerts`);
  }

  alertAction(alertId: string, action: AlertAction): Observable<unknown> {
    return this.command(`${this.base}/alerts/${segment(alertId)}/${action}`, {});
  }

  claims(): Observable<ClaimView[]> {
    return this.http.get<ClaimView[]>(`${this.base}/claims`);
  }

  evidence(claimId: string): Observable<ClaimEvidencePack> {
    return this.http.get<ClaimEvidencePack>(`${this.base}/claims/${segment(claimId)}/evidence`);
  }

  /** Assigns the claim to the signed-in user (the api takes the assignee from the token). */
  assignClaim(claimId: string): Observable<unknown> {
    return this.command(`${this.base}/claims/${segment(claimId)}/assign`, {});
  }

  approveClaim(claimId: string, amountMinor: string): Observable<unknown> {
    return this.command(`${this.base}/claims/${segment(claimId)}/approve`, { amountMinor });
  }

  rejectClaim(claimId: string, reason: string): Observable<unknown> {
    return this.command(`${this.base}/claims/${segment(claimId)}/reject`, { reason });
  }

  terminals(): Observable<TerminalView[]> {
    return this.http.get<TerminalView[]>(`${this.base}/terminals`);
  }

  searchCustomers(query: string): Observable<CustomerSummaryView[]> {
    return this.http.get<CustomerSummaryView[]>(`${this.base}/customers`, { params: new HttpParams().set('q', query) });
  }

  customerBalance(customerId: string): Observable<CustomerBalanceView> {
    return this.http.get<CustomerBalanceView>(`${this.base}/customers/${segment(customerId)}/balance`);
  }

  /**
   * A mutating call with an Idempotency-Key. The key is tied to the url and body, so retrying the same action
   * after a failure that may not have reached the api reuses it; any definite answer forgets it.
   */
  private command(url: string, body: object): Observable<unknown> {
    const action = `POST ${url} ${JSON.stringify(body)}`;
    const headers = new HttpHeaders({ 'Idempotency-Key': this.idempotency.keyFor(action) });
    return this.http.post<unknown>(url, body, { headers }).pipe(
      tap({
        next: () => this.idempotency.forget(action),
        error: (error: unknown) => {
          if (!isRetryable(error)) this.idempotency.forget(action);
        },
      }),
    );
  }
}
