import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ClaimView, LoginResponse } from '@smilepay/shared/contracts';
import type { ClaimEvidencePack } from '../data-access/api/pending-contracts';
import { authInterceptor } from '../data-access/auth/auth.interceptor';
import { SESSION_STORAGE_KEY } from '../data-access/auth/session';
import { ClaimsStore } from '../data-access/claims/claims.store';
import { ClaimDetail } from './claim-detail';

const claim = (overrides: Partial<ClaimView> = {}): ClaimView => ({
  claimId: 'claim-1',
  customerId: 'cust-1',
  paymentIds: ['pay-1'],
  claimedMinor: '4999',
  currency: 'EUR',
  reason: 'I was not there',
  status: 'assigned',
  assignee: 'analyst',
  filedAt: '2025-06-01T10:00:00Z',
  slaAgeSeconds: 7_200,
  ...overrides,
});

const pack: ClaimEvidencePack = {
  claimId: 'claim-1',
  customerId: 'cust-1',
  assembledAt: '2025-06-01T12:00:00Z',
  payments: [
    {
      paymentId: 'pay-1',
      amountMinor: '4999',
      currency: 'EUR',
      status: 'captured',
      merchantId: 'm-1',
      terminalId: 't-9',
      occurredAt: '2025-06-01T09:59:00Z',
      livenessVerdict: 'live',
      livenessScores: [{ check: 'passive', score: 0.93 }],
      matchScore: 0.81,
      matchThreshold: 0.8,
      frameDigests: ['a'.repeat(64)],
    },
  ],
  recentActivity: [],
};

async function render(role: LoginResponse['role'], username: string, view: ClaimView, evidence = pack) {
  sessionStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({ token: `t-${role}`, role, username, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
  );
  TestBed.configureTestingModule({
    providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(ClaimsStore).refresh();
  backend.expectOne('/v1/claims').flush([view]);
  const fixture = TestBed.createComponent(ClaimDetail);
  fixture.componentRef.setInput('claimId', view.claimId);
  await fixture.whenStable();
  backend.expectOne('/v1/claims/claim-1/evidence').flush(evidence);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  return { fixture, backend, element, button: (action: string) => element.querySelector<HTMLButtonElement>(`[data-action="${action}"]`) };
}

describe('ClaimDetail', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    sessionStorage.clear();
  });

  it('shows the evidence pack: scores, the match against its threshold, the terminal and the digests', async () => {
    const { element } = await render('analyst', 'analyst', claim());
    const text = element.textContent ?? '';
    expect(text).toContain('49.99 EUR');
    expect(text).toContain('0.930');
    expect(text).toMatch(/score\s+0\.810\s+vs threshold\s+0\.800/);
    expect(text).toContain('borderline match');
    expect(text).toContain('t-9');
    expect(text).toContain('aaaaaaaaaaaaaaaa…aaaaaaaa');
  });

  it('shows the attack species, the model versions and how many frame digests the gateway sent', async () => {
    const payment = {
      ...pack.payments[0],
      livenessVerdict: 'spoof' as const,
      attackSpecies: 'replay_screen',
      frameDigests: Array.from({ length: 64 }, (_, i) => i.toString(16).padStart(64, '0')),
      frameDigestsTotal: 90,
      modelVersions: { liveness: 'minifasnet-v2@1' },
      matchModelVersion: 'arcface-r100@1',
    };
    const { element } = await render('analyst', 'analyst', claim(), { ...pack, payments: [payment] });
    const text = element.textContent ?? '';
    expect(element.querySelector('[data-field="attack-species"]')?.textContent).toContain('replay_screen');
    expect(element.querySelector('[data-field="model-version"]')?.textContent).toBe('minifasnet-v2@1');
    expect(text).toContain('arcface-r100@1');
    expect(text).toMatch(/Frame digests\s*90/);
    expect(element.querySelector('[data-field="digests-more"]')?.textContent).toMatch(/and \d+ more/);
  });

  it('reads a pack recorded before attack species and model versions were kept', async () => {
    const { element } = await render('analyst', 'analyst', claim());
    expect(element.querySelector('[data-field="attack-species"]')).toBeNull();
    expect(element.querySelector('[data-field="model-version"]')).toBeNull();
    expect(element.textContent).toMatch(/Frame digests\s*1/);
  });

  it('lets the assigned analyst approve, asking for confirmation first and sending minor units', async () => {
    const { fixture, backend, button } = await render('analyst', 'analyst', claim());
    button('approve')?.click();
    await fixture.whenStable();
    button('confirm-approve')?.click();
    const request = backend.expectOne('/v1/claims/claim-1/approve');
    expect(request.request.body).toEqual({ amountMinor: '4999' });
    expect(request.request.headers.get('Authorization')).toBe('Bearer t-analyst');
    request.flush({});
    backend.expectOne('/v1/claims').flush([claim({ status: 'approved' })]);
    await fixture.whenStable();
    // The evidence is re-read after a decision: the pack now includes it.
    backend.expectOne('/v1/claims/claim-1/evidence').flush(pack);
    await fixture.whenStable();
    expect(fixture.nativeElement.textContent).toContain("See the customer's balance");
  });

  it('refuses to approve more than the claimed amount', async () => {
    const { fixture, element, button } = await render('analyst', 'analyst', claim());
    const amount = element.querySelector<HTMLInputElement>('#approve-amount');
    if (!amount) throw new Error('no amount field');
    expect(amount.value).toBe('49.99');
    amount.value = '50.00';
    amount.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(button('approve')?.disabled).toBe(true);
    expect(element.textContent).toContain('cannot exceed the claimed amount');
  });

  it('offers an unassigned claim for assignment before any decision', async () => {
    const { fixture, backend, button } = await render('admin', 'admin', claim({ status: 'filed', assignee: null }));
    expect(button('approve')).toBeNull();
    button('assign')?.click();
    const request = backend.expectOne('/v1/claims/claim-1/assign');
    expect(request.request.body).toEqual({});
    request.flush({});
    backend.expectOne('/v1/claims').flush([claim({ assignee: 'admin' })]);
    await fixture.whenStable();
    expect(button('approve')).not.toBeNull();
  });

  it('shows an auditor the claim and its evidence but no way to decide it', async () => {
    const { element, button } = await render('auditor', 'auditor', claim({ assignee: 'auditor' }));
    expect(element.textContent).toContain('Evidence pack');
    for (const action of ['assign', 'approve', 'reject', 'confirm-approve']) expect(button(action)).toBeNull();
    expect(element.textContent).toContain('Read-only');
  });
});
