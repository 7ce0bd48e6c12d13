import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

export type ChipTone = 'good' | 'bad' | 'warn' | 'info' | 'muted';

/** One colour meaning per word across the app: payment, liveness, alert, claim and terminal states. */
const tones: Record<string, ChipTone> = {
  captured: 'good',
  authorized: 'info',
  started: 'muted',
  voided: 'muted',
  refunded: 'warn',
  declined: 'bad',
  live: 'good',
  spoof: 'bad',
  inconclusive: 'warn',
  open: 'bad',
  acknowledged: 'warn',
  resolved: 'muted',
  high: 'bad',
  medium: 'warn',
  low: 'info',
  filed: 'warn',
  assigned: 'info',
  approved: 'good',
  reimbursed: 'good',
  rejected: 'muted',
  active: 'good',
  quarantined: 'bad',
  face_locked: 'bad',
  erased: 'muted',
};

/** A small coloured label for a status word. */
@Component({
  selector: 'sp-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': "'chip chip-' + tone()", '[attr.data-status]': 'status()' },
  template: `{{ label() }}`,
})
export class StatusChip {
  readonly status = input.required<string>();
  readonly tone = computed<ChipTone>(() => tones[this.status()] ?? 'muted');
  readonly label = computed(() => this.status().replace(/_/g, ' '));
}
