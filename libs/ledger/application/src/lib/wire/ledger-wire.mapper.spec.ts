import type { TransferRecord } from '@smilepay/ledger/domain';
import { DomainError } from '@smilepay/shared/domain';
import {
  postPendingFromWire,
  toAccountDto,
  toCreateTransfersResponse,
  toLedgerErrorDto,
  toPendingResolutionDto,
  transfersFromWire,
} from './ledger-wire.mapper';

const dto = {
  id: '00000000-0000-4000-8000-b00000000001',
  debitAccountId: '00000000-0000-4000-8000-a00000000001',
  creditAccountId: '00000000-0000-4000-8000-a00000000002',
  amount: '9223372036854775807',
  currency: 'EUR' as const,
  ledger: 1,
  code: 1,
  kind: 'pending' as const,
  timeoutSeconds: 60,
};

describe('ledger wire mapping', () => {
  it('parses amounts exactly, beyond what a JSON number could hold', () => {
    expect(transfersFromWire({ transfers: [dto] })).toEqual({ transfers: [{ ...dto, amount: 9223372036854775807n }] });
  });

  it('refuses amounts that are not strict minor-unit strings, naming the leg', () => {
    for (const amount of ['10.50', '-1', '1e3', '0', 1050 as unknown as string]) {
      expect(() => transfersFromWire({ transfers: [dto, { ...dto, amount }] })).toThrow(
        expect.objectContaining({ code: 'invalid_amount', details: { index: 1, transferId: dto.id } }),
      );
    }
  });

  it('refuses a body without a transfers array, and an oversized one before parsing it', () => {
    expect(() => transfersFromWire({} as never)).toThrow(expect.objectContaining({ code: 'empty_batch' }));
    expect(() => transfersFromWire({ transfers: Array.from({ length: 65 }, () => dto) })).toThrow(
      expect.objectContaining({ code: 'batch_too_large' }),
    );
  });

  it('maps a partial post amount, and omits it for a full post', () => {
    expect(postPendingFromWire('p', { id: 'x', amount: '250' })).toEqual({ id: 'x', pendingId: 'p', amount: 250n });
    expect(postPendingFromWire('p', { id: 'x' })).toEqual({ id: 'x', pendingId: 'p' });
  });

  it('writes balances as decimal strings and omits them for unflagged accounts', () => {
    const account = {
      id: 'a',
      kind: 'customer_wallet' as const,
      currency: 'EUR' as const,
      ledger: 1,
      code: 1,
      flags: ['debits_must_not_exceed_credits' as const],
    };
    const balances = { debitsPending: 0n, debitsPosted: 5n, creditsPending: 0n, creditsPosted: 2n ** 63n - 1n };
    expect(toAccountDto({ account, balances, revision: 3n })).toEqual({
      ...account,
      balances: { debitsPending: '0', debitsPosted: '5', creditsPending: '0', creditsPosted: '9223372036854775807' },
    });
    expect(
      toAccountDto({ account: { ...account, kind: 'merchant', flags: [] }, balances: undefined, revision: 0n }),
    ).not.toHaveProperty('balances');
  });

  it('maps results and errors', () => {
    const record: TransferRecord = {
      ...dto,
      amount: '5',
      timestamp: '2025-03-01T10:00:00.000Z',
      kind: 'single',
      timeoutSeconds: 0,
    };
    expect(toCreateTransfersResponse({ homeStream: 's', transfers: [record], replayed: true })).toEqual({
      transfers: [record],
      replayed: true,
    });
    const resolution = {
      pendingId: 'p',
      debitAccountId: 'd',
      creditAccountId: 'c',
      pendingAmount: '9',
      currency: 'EUR' as const,
      ledger: 1,
      code: 1,
      timestamp: 't',
    };
    expect(
      toPendingResolutionDto({
        homeStream: 's',
        replayed: false,
        posted: { ...resolution, id: 'x', amount: '4', fingerprint: 'f' },
      }),
    ).toEqual({
      id: 'x',
      pendingId: 'p',
      outcome: 'posted',
      amount: '4',
      debitAccountId: 'd',
      creditAccountId: 'c',
      pendingAmount: '9',
      currency: 'EUR',
      timestamp: 't',
      replayed: false,
    });
    expect(
      toPendingResolutionDto({ homeStream: 's', replayed: true, expired: { ...resolution, expiresAt: 't' } }),
    ).toMatchObject({ outcome: 'expired', replayed: true });
    expect(toLedgerErrorDto(new DomainError('exceeds_credits', 'no', 'conflict', { index: 0 }))).toEqual({
      code: 'exceeds_credits',
      kind: 'conflict',
      message: 'no',
      details: { index: 0 },
    });
  });
});
