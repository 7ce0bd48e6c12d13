import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { PaymentFeedItem } from '@smilepay/shared/contracts';
import { MoneyPipe } from './money.pipe';
import { ShortIdPipe } from './short-id.pipe';
import { StatusChip } from './status-chip';

/** Payments as table rows, each linking to its timeline. Used by the live feed and the claim evidence. */
@Component({
  selector: 'sp-payment-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DatePipe, DecimalPipe, MoneyPipe, ShortIdPipe, StatusChip],
  template: `
    <div class="table-wrap" [style.max-height.px]="maxHeightPx()">
      <table class="data" [attr.aria-label]="label()">
        <thead>
          <tr>
            <th>Time</th>
            <th>Payment</th>
            <th class="num">Amount</th>
            <th>Status</th>
            <th>Liveness</th>
            <th class="num">Match</th>
            @if (!compact()) {
              <th class="num" title="From the checkout's start in the api to its decision">Decision</th>
            }
            <th>Terminal</th>
            @if (!compact()) {
              <th>Customer</th>
            }
          </tr>
        </thead>
        <tbody>
          @for (p of payments(); track p.paymentId) {
            <tr [attr.data-payment-id]="p.paymentId">
              <td class="mono" [title]="p.updatedAt">{{ p.updatedAt | date: 'HH:mm:ss' }}</td>
              <td class="mono">
                <a [routerLink]="['/payments', p.paymentId]" [title]="p.paymentId">{{ p.paymentId | shortId }}</a>
              </td>
              <td class="num">{{ p.amountMinor | money: p.currency }}</td>
              <td>
                <sp-status-chip [status]="p.status" />
                @if (p.declineReason) {
                  <span class="reason">{{ p.declineReason }}</span>
                }
              </td>
              <td>
                @if (p.livenessVerdict) {
                  <sp-status-chip [status]="p.livenessVerdict" />
                  @if (p.livenessScore !== null) {
                    <span class="score">{{ p.livenessScore | number: '1.2-2' }}</span>
                  }
                  @if (p.attackSpecies) {
                    <span class="reason">{{ p.attackSpecies }}</span>
                  }
                } @else if (p.method === 'phone_pin') {
                  <span class="reason" title="paid with phone number and PIN, no face">phone + PIN</span>
                } @else {
                  <span class="muted">—</span>
                }
              </td>
              <td class="num">{{ p.matchScore === null ? '—' : (p.matchScore | number: '1.3-3') }}</td>
              @if (!compact()) {
                <td class="num">{{ p.decisionLatencyMs === null ? '—' : (p.decisionLatencyMs | number: '1.0-0') + ' ms' }}</td>
              }
              <td class="mono" [title]="p.terminalId">{{ p.terminalId | shortId }}</td>
              @if (!compact()) {
                <td class="mono" [title]="p.customerId ?? 'not identified'">{{ p.customerId | shortId }}</td>
              }
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .reason {
      margin-left: 6px;
      color: var(--muted);
      font-size: 12px;
    }
    .score {
      margin-left: 6px;
      font-variant-numeric: tabular-nums;
      color: #334155;
    }
    td {
      white-space: nowrap;
    }
  `,
})
export class PaymentTable {
  readonly payments = input.required<readonly PaymentFeedItem[]>();
  readonly label = input('Payments');
  /** Scroll inside the table past this height, keeping the header in view; null lets the table grow. */
  readonly maxHeightPx = input<number | null>(null);
  /** Drops the decision latency and customer columns, for narrow panels about one customer. */
  readonly compact = input(false);
}
