import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ClaimEvidencePack } from '../data-access/api/pending-contracts';
import { MoneyPipe } from '../ui/money.pipe';
import { PaymentTable } from '../ui/payment-table';
import { StatusChip } from '../ui/status-chip';
import { MAX_DIGESTS_SHOWN, percentOf, readMatch } from './evidence';

/** The evidence a claim decision rests on, laid out for reading: per payment, then the account's recent activity. */
@Component({
  selector: 'sp-evidence-pack',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe, RouterLink, MoneyPipe, PaymentTable, StatusChip],
  templateUrl: './evidence-pack.html',
  styleUrl: './evidence-pack.css',
})
export class EvidencePackView {
  readonly pack = input.required<ClaimEvidencePack>();
  protected readonly maxDigests = MAX_DIGESTS_SHOWN;
  protected readonly percentOf = percentOf;

  protected readonly shownDigests = (digests: readonly string[]) => Math.min(digests.length, MAX_DIGESTS_SHOWN);

  // Packs recorded before attack species, model versions and digest totals were kept simply lack them.
  protected readonly payments = computed(() =>
    this.pack().payments.map((payment) => {
      const match = readMatch(payment);
      const marginText = match.margin === null ? null : `${match.margin >= 0 ? '+' : ''}${match.margin.toFixed(3)}`;
      const models = Object.entries(payment.modelVersions ?? {}).map(([signal, version]) => ({ signal, version }));
      const digestsTotal = Math.max(payment.frameDigestsTotal ?? 0, payment.frameDigests.length);
      return { ...payment, match, marginText, models, digestsTotal, matchModelVersion: payment.matchModelVersion ?? null };
    }),
  );
}
