import { randomUUID } from 'node:crypto';
import { claimedPaymentStreamId, claimStreamId } from '@smilepay/claims/domain';
import { customerStreamId } from '@smilepay/enrollment/domain';
import { ClaimsService } from './claims.service';
import { enrollmentFacePaymentLock } from './face-lock/face-payment-lock';
import { ensureLossReserve } from './loss-reserve/loss-reserve';
import { SettlementSweeper } from './settle-claim/settlement-sweeper';
import { metadataFor } from './streams/context';
import { lossReserveAccountId, reimbursementTransferIdFor } from './streams/derived-ids';
import {
  gatewayEvidence,
  openPaymentWorld,
  WORLD_CURRENCY,
  WORLD_LEDGER,
  type PaymentWorld,
  type WorldCustomer,
} from '../testing/payment-world';

const T0 = new Date('2025-06-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const analyst = { correlationId: 'corr-test', actor: 'analyst:analyst' };

describe.each(['sqlite', 'postgres'] as const)('loss claims against real payments (read models on %s)', (dialect) => {
  let world: PaymentWorld;
  let claims: ClaimsService;
  let alice: WorldCustomer;
  let bob: WorldCustomer;

  const available = async (accountId: string) => {
    const b = (await world.ledger.getAccountView(accountId)).balances;
    if (b === undefined) throw new Error('flagged accounts carry their balances');
    return b.creditsPosted - b.debitsPosted - b.debitsPending;
  };
  const file = (paymentIds: string[], claimedMinor: bigint, customer = alice, claimId = `clm_${randomUUID()}`) =>
    claims.file(
      {
        claimId,
        customerId: customer.customerId,
        paymentIds,
        claimedMinor,
        currency: 'EUR',
        reason: 'not me',
        filedBy: 'analyst',
        at: at(100),
      },
      analyst,
    );

  beforeAll(async () => {
    world = await openPaymentWorld(dialect);
    claims = new ClaimsService({
      store: world.store,
      ledger: world.ledger,
      faceLock: enrollmentFacePaymentLock(world.enrollment),
    });
    await world.registerTerminal('ter_shop', at(-7200));
    alice = await world.customer('+8613800138000', 50_000n, at(-3600));
    bob = await world.customer('+8613900139000', 50_000n, at(-3600));
    await world.fundReserve(1_000_000n);
  });
  afterAll(() => world.dispose());

  it('files, assigns with evidence, approves and reimburses exactly the approved amount, then locks face payment', async () => {
    const first = await world.pay(alice, 'ter_shop', 1_200n, at(0));
    const second = await world.pay(alice, 'ter_shop', 800n, at(10));
    const claim = await file([first, second], 2_000n);
    expect(claim).toMatchObject({ status: 'filed', claimedMinor: 2_000n, assignee: null });

    const assigned = await claims.assign({ claimId: claim.claimId, analyst: 'analyst', at: at(200) }, analyst);
    expect(assigned).toMatchObject({ status: 'assigned', assignee: 'analyst', evidenceAttached: true });
    const pack = await claims.evidence(claim.claimId, at(300));
    expect(pack.payments.map((p) => p.paymentId)).toEqual([first, second]);
    expect(pack.payments[0]).toEqual({
      paymentId: first,
      amountMinor: '1200',
      currency: 'EUR',
      status: 'captured',
      merchantId: world.merchantId,
      terminalId: 'ter_shop',
      occurredAt: expect.any(String),
      livenessVerdict: 'live',
      // The store keeps event data as canonical JSON, so the signals come back in key order.
      livenessScores: [
        { check: 'depth', score: 0.99 },
        { check: 'fused', score: 0.97 },
        { check: 'rgb', score: 0.95 },
      ],
      attackSpecies: null,
      matchScore: expect.any(Number),
      matchThreshold: expect.any(Number),
      matchModelVersion: 'arcface-r100@1',
      // The digests the gateway sent with the verdict, carried by LivenessVerdictRecorded into the pack.
      frameDigests: gatewayEvidence(first).frameDigests.map((d) => d.rgbSha256),
      frameDigestsTotal: 3,
      modelVersions: { liveness: 'minifasnet-v2@1', embedding: 'arcface-r100@1' },
    });
    expect(pack.payments[0].matchScore).toBeGreaterThanOrEqual(pack.payments[0].matchThreshold as number);
    expect(pack.recentActivity.map((p) => p.paymentId)).toEqual([second, first]);
    expect(pack.assembledAt).toBe(at(200).toISOString());

    const walletBefore = await available(alice.walletAccountId);
    const reserveBefore = await available(lossReserveAccountId('EUR'));
    const approved = await claims.approve(
      { claimId: claim.claimId, amountMinor: 1_500n, approvedBy: 'analyst', at: at(400) },
      analyst,
    );
    expect(approved).toMatchObject({ status: 'reimbursed', faceLocked: true });
    expect(await available(alice.walletAccountId)).toBe(walletBefore + 1_500n);
    expect(await available(lossReserveAccountId('EUR'))).toBe(reserveBefore - 1_500n);

    const profile = await world.enrollment.getCustomerProfile(alice.customerId, at(500));
    expect(profile).toMatchObject({ faceEnrolled: false, templateRef: null });
    const erased = (await world.store.readStream(customerStreamId(alice.customerId))).filter(
      (e) => e.type === 'BiometricsErased',
    );
    expect(erased).toHaveLength(1);
    // Her face is gone until she enrols again: she is told so (and offered the PIN), not that her face did not match.
    await expect(world.pay(alice, 'ter_shop', 100n, at(600))).rejects.toThrow(
      '{"next":"declined","reason":"reenrollment_required","fallback":"phone_pin"}',
    );

    // Re-enrolling lifts the lock: a fresh template, through a fresh duplicate check.
    const enrolment = {
      customerId: alice.customerId,
      templateRef: `tpl_${randomUUID()}`,
      embedding: alice.face,
      quality: 0.9,
      modelVersion: 'arcface-r100@1',
      liveness: 'live' as const,
      at: at(700),
    };
    await world.enrollment.enrollFace(enrolment, world.context);
    expect(await world.pay(alice, 'ter_shop', 100n, at(800))).toEqual(expect.any(String));
  });

  it('applies a repeated approval once: one transfer, one lock', async () => {
    const payment = await world.pay(bob, 'ter_shop', 700n, at(1_000));
    const claim = await file([payment], 700n, bob);
    await claims.assign({ claimId: claim.claimId, analyst: 'analyst', at: at(1_100) }, analyst);
    const before = await available(bob.walletAccountId);
    const approve = () =>
      claims.approve({ claimId: claim.claimId, amountMinor: 700n, approvedBy: 'analyst', at: at(1_200) }, analyst);
    await Promise.all([approve(), approve(), approve()]);
    await approve();
    expect(await available(bob.walletAccountId)).toBe(before + 700n);
    const types = (await world.store.readStream(claimStreamId(claim.claimId))).map((e) => e.type);
    expect(types).toEqual([
      'LossClaimFiled',
      'ClaimAssigned',
      'EvidenceAttached',
      'ClaimApproved',
      'ClaimReimbursed',
      'ClaimFacePaymentLocked',
    ]);
    await expect(
      claims.approve({ claimId: claim.claimId, amountMinor: 600n, approvedBy: 'analyst', at: at(1_300) }, analyst),
    ).rejects.toMatchObject({ code: 'claim_decided' });
  });

  describe('guards', () => {
    let carol: WorldCustomer;
    let payment: string;
    let other: string;

    beforeAll(async () => {
      carol = await world.customer('+8613700137000', 50_000n, at(-3600));
      payment = await world.pay(carol, 'ter_shop', 900n, at(2_000));
      other = await world.pay(carol, 'ter_shop', 400n, at(2_010));
    });

    it('refuses a second claim on the same payment and gives back the payments it took', async () => {
      const claim = await file([payment], 900n, carol);
      await expect(file([other, payment], 1_000n, carol)).rejects.toMatchObject({ code: 'payment_already_claimed' });
      const otherStream = await world.store.readStream(claimedPaymentStreamId(other));
      expect(otherStream.map((e) => e.type)).toEqual(['PaymentClaimed', 'PaymentClaimReleased']);
      const retried = await file([payment], 900n, carol, claim.claimId);
      expect(retried.claimId).toBe(claim.claimId);
    });

    it('lets only one of two racing claims take a payment', async () => {
      const dave = await world.customer('+8613600136000', 50_000n, at(-3600));
      const raced = await world.pay(dave, 'ter_shop', 300n, at(2_100));
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => file([raced], 300n, dave)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code),
      ).toEqual(Array(3).fill('payment_already_claimed'));
    });

    it('bounds the claim by what the payments moved and the reimbursement by the claim', async () => {
      await expect(file([other], 401n, carol)).rejects.toMatchObject({ code: 'claim_exceeds_payments' });
      const claim = await file([other], 300n, carol);
      await claims.assign({ claimId: claim.claimId, analyst: 'analyst', at: at(2_200) }, analyst);
      const before = await available(carol.walletAccountId);
      await expect(
        claims.approve({ claimId: claim.claimId, amountMinor: 301n, approvedBy: 'analyst', at: at(2_300) }, analyst),
      ).rejects.toMatchObject({ code: 'reimbursement_exceeds_claim' });
      expect(await available(carol.walletAccountId)).toBe(before);
      expect((await claims.get(claim.claimId)).status).toBe('assigned');
    });

    it("refuses another customer's payment and unknown payments", async () => {
      const gina = await world.customer('+8613300133000', 50_000n, at(-3600));
      const ginas = await world.pay(gina, 'ter_shop', 200n, at(2_400));
      await expect(file([ginas], 200n, carol)).rejects.toMatchObject({ code: 'payment_not_customers' });
      await expect(file([randomUUID()], 200n, carol)).rejects.toMatchObject({ code: 'payment_not_found' });
      expect(await world.store.readStream(claimedPaymentStreamId(ginas))).toEqual([]);
    });

    it('rejects with a reason, moving no money and locking nothing', async () => {
      const erin = await world.customer('+8613500135000', 50_000n, at(-3600));
      const paid = await world.pay(erin, 'ter_shop', 500n, at(2_500));
      const claim = await file([paid], 500n, erin);
      await claims.assign({ claimId: claim.claimId, analyst: 'analyst', at: at(2_600) }, analyst);
      const before = await available(erin.walletAccountId);
      const rejected = await claims.reject(
        { claimId: claim.claimId, reason: 'paid in person', rejectedBy: 'analyst', at: at(2_700) },
        analyst,
      );
      expect(rejected).toMatchObject({ status: 'rejected', faceLocked: false });
      expect(await available(erin.walletAccountId)).toBe(before);
      expect(await world.enrollment.getCustomerProfile(erin.customerId, at(2_800))).toMatchObject({
        faceEnrolled: true,
      });
    });
  });

  it('completes from the sweeper an approval whose process died before the money moved', async () => {
    const frank = await world.customer('+8613400134000', 50_000n, at(-3600));
    const paid = await world.pay(frank, 'ter_shop', 650n, at(3_000));
    const claim = await file([paid], 650n, frank);
    await claims.assign({ claimId: claim.claimId, analyst: 'analyst', at: at(3_100) }, analyst);
    const approval = {
      type: 'ApproveClaim' as const,
      amountMinor: 650n,
      approvedBy: 'analyst',
      transferId: reimbursementTransferIdFor(claim.claimId),
      at: at(3_200),
    };
    await claims.deps.claims.handle(claimStreamId(claim.claimId), approval, metadataFor(analyst));
    const before = await available(frank.walletAccountId);
    const asked: number[] = [];
    const outstanding = async (limit: number) => {
      asked.push(limit);
      return [claim.claimId];
    };
    const sweeper = new SettlementSweeper(
      claims,
      outstanding,
      { warn: () => undefined, error: () => undefined },
      { maxPerSweep: 7, clock: () => at(3_300) },
    );
    expect(await sweeper.sweepOnce()).toEqual([claim.claimId]);
    expect(asked).toEqual([7]);
    expect(await available(frank.walletAccountId)).toBe(before + 650n);
    expect(await claims.get(claim.claimId)).toMatchObject({ status: 'reimbursed', faceLocked: true });
    expect(await sweeper.sweepOnce()).toEqual([claim.claimId]);
    expect(await available(frank.walletAccountId)).toBe(before + 650n);
  });

  it('keeps sweeping past a claim the ledger refuses, logging it once', async () => {
    const hank = await world.customer('+8613200132000', 50_000n, at(-3600));
    const paid = await world.pay(hank, 'ter_shop', 450n, at(3_400));
    const claim = await file([paid], 450n, hank);
    await claims.assign({ claimId: claim.claimId, analyst: 'analyst', at: at(3_500) }, analyst);
    // A transfer id another request already used: the ledger refuses the reimbursement as a reused id.
    const clash = reimbursementTransferIdFor('clm_other');
    const approval = {
      type: 'ApproveClaim' as const,
      amountMinor: 450n,
      approvedBy: 'analyst',
      transferId: clash,
      at: at(3_600),
    };
    await claims.deps.claims.handle(claimStreamId(claim.claimId), approval, metadataFor(analyst));
    await world.ledger.createTransfers(
      {
        transfers: [
          {
            id: clash,
            debitAccountId: world.externalAccountId,
            creditAccountId: hank.walletAccountId,
            amount: 1n,
            currency: 'EUR',
            ledger: WORLD_LEDGER,
            code: 1,
            kind: 'single',
          },
        ],
      },
      world.context,
    );
    const warnings: string[] = [];
    const sweeper = new SettlementSweeper(claims, async () => [claim.claimId], {
      warn: (m) => warnings.push(m),
      error: () => undefined,
    });
    expect(await sweeper.sweepOnce()).toEqual([]);
    expect(await sweeper.sweepOnce()).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('transfer_id_reused');
    expect(await claims.get(claim.claimId)).toMatchObject({ status: 'approved', faceLocked: true });
  });

  it('opens and tops up the loss reserve idempotently', async () => {
    const input = {
      currency: WORLD_CURRENCY,
      ledger: WORLD_LEDGER,
      fundingAccountId: world.externalAccountId,
      minimumMinor: 1_000_000n,
    };
    const reserve = lossReserveAccountId('EUR');
    const spent = 1_000_000n - (await available(reserve));
    const first = await ensureLossReserve(world.ledger, input, world.context);
    expect(first).toEqual({ accountId: reserve, opened: false, toppedUpMinor: spent });
    expect(await available(reserve)).toBe(1_000_000n);
    expect(await ensureLossReserve(world.ledger, input, world.context)).toEqual({
      accountId: reserve,
      opened: false,
      toppedUpMinor: 0n,
    });
  });
});
