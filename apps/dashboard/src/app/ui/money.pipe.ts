import { Pipe, PipeTransform } from '@angular/core';
import { formatMinor } from '../data-access/money/money';

/** `{{ payment.amountMinor | money: payment.currency }}` → '12.50 EUR'. */
@Pipe({ name: 'money' })
export class MoneyPipe implements PipeTransform {
  transform(amountMinor: string | null | undefined, currency: string): string {
    return amountMinor === null || amountMinor === undefined ? '—' : formatMinor(amountMinor, currency);
  }
}
