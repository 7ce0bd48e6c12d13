import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** A headline number with its label and a short explanation. */
@Component({
  selector: 'sp-kpi-tile',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'card kpi', '[class.kpi-alert]': 'alert()' },
  template: `
    <span class="kpi-label">{{ label() }}</span>
    <span class="kpi-value" [attr.data-kpi]="label()">{{ value() }}</span>
    <span class="kpi-hint">{{ hint() }}</span>
  `,
})
export class KpiTile {
  readonly label = input.required<string>();
  readonly value = input.required<string>();
  readonly hint = input('');
  readonly alert = input(false);
}
