import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { LoadStateView } from '../ui/load-state';
import { AuditStore } from './audit.store';

/** The auditor's page: browse a stream, verify the whole log against the sealing key, export a range, copy the key. */
@Component({
  selector: 'sp-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, JsonPipe, LoadStateView],
  providers: [AuditStore],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.css',
})
export class AuditPage {
  protected readonly store = inject(AuditStore);
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  protected readonly fromPosition = signal('');
  protected readonly toPosition = signal('');

  constructor() {
    this.store.loadPublicKey();
  }

  protected toggle(position: string): void {
    const next = new Set(this.expanded());
    if (next.has(position)) next.delete(position);
    else next.add(position);
    this.expanded.set(next);
  }

  protected browse(event: Event): void {
    event.preventDefault();
    this.expanded.set(new Set());
    this.store.loadStream();
  }

  protected exportRange(event: Event): void {
    event.preventDefault();
    void this.store.exportRange(this.fromPosition(), this.toPosition());
  }

  protected copyKey(): void {
    const pem = this.store.publicKey()?.pem;
    if (pem) void navigator.clipboard?.writeText(pem);
  }

  protected inputValue(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }
}
