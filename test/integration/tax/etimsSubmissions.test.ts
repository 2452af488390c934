// The worker's eTIMS loop against the local stand-in over HTTP and the real database: every finalized invoice issued
// since eTIMS was turned on is signed once, even with two workers at it; void and earlier invoices are left alone;
// a refusal or an unreachable control unit is recorded for operators and tried again later, not at once.
//
// CI runs every suite on one database, and the loop offers every unsigned invoice it finds. So these invoices are
// issued in 2900 and the loop starts there: other suites' clocks (time-skipping workflows) reach into the 2090s, not
// that far.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEtimsSandbox, type EtimsSandbox } from '../../../sandboxes/etims/server.js';
import { issuePeriodInvoice } from '../../../src/billing/changes/issuePeriodInvoice.js';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Subscription } from '../../../src/entities/index.js';
import { httpEtims } from '../../../src/tax/etims/httpEtims.js';
import { startEtimsSubmissionLoop, type EtimsSubmissionLoop } from '../../../src/tax/etims/etimsSubmissionLoop.js';
import { backlogRefresher } from '../../../src/observability/backlogMetrics.js';
import { registry } from '../../../src/observability/metrics.js';
import { testOrm } from '../../support/db.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';

const VAT = { rateBasisPoints: 1600, name: 'VAT' };
const SELLER_PIN = 'P051234567Q';
const SUBMIT_FROM = new Date('2900-01-01T00:00:00Z');
const DAY_MS = 86_400_000;

let orm: Orm;
let sandbox: EtimsSandbox;
const loops: EtimsSubmissionLoop[] = [];

beforeAll(async () => {
  orm = await testOrm();
  sandbox = await startEtimsSandbox({ cmcKey: 'device-key' });
});

afterAll(async () => {
  await Promise.all(loops.map((loop) => loop.stop()));
  await sandbox?.close();
  await orm?.close();
});

function aLoop(options: { url?: string; communicationKey?: string; submitFrom?: Date } = {}) {
  const loop = startEtimsSubmissionLoop({
    em: orm.em,
    submission: {
      port: httpEtims({
        url: options.url ?? sandbox.url,
        tin: SELLER_PIN,
        branchId: '00',
        communicationKey: options.communicationKey ?? 'device-key',
        qrBaseUrl: 'https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData',
      }),
      sellerPin: SELLER_PIN,
      classificationCode: '8111150000',
    },
    submitFrom: options.submitFrom ?? SUBMIT_FROM,
    batchSize: 5,
    // Rounds run when the test says (runOnce), besides the first one the loop starts itself.
    pollMs: 3_600_000,
  });
  loops.push(loop);
  return loop;
}

/** A KES 1,000 + VAT period invoice issued on `issuedAt`, OPEN. */
async function anInvoice(issuedAt: Date): Promise<Invoice> {
  const customer = await aCustomer(orm.em);
  const plan = await aPlan(orm.em, { amount: 100_000, currency: 'KES' });
  const em = orm.em.fork();
  const subscription = em.create(Subscription, {
    customer: customer.id,
    plan: plan.id,
    status: 'TRIALING',
    trialEnd: issuedAt,
    billingAnchor: issuedAt,
  });
  await em.flush();
  const { invoiceId } = await issuePeriodInvoice(orm.em, { subscriptionId: subscription.id, periodIndex: 0 }, VAT);
  return reload(invoiceId);
}

const reload = (id: string) => orm.em.fork().findOneOrFail(Invoice, { id });
const spread = (count: number, from: Date) =>
  Array.from({ length: count }, (_, i) => new Date(from.getTime() + i * DAY_MS + Math.floor(Math.random() * DAY_MS)));

describe('the eTIMS submission loop', () => {
  it('signs each finalized invoice since the start date once, leaving void and earlier invoices alone', async () => {
    const open = await anInvoice(new Date('2900-02-01T09:00:00Z'));
    const voided = await anInvoice(new Date('2900-02-02T09:00:00Z'));
    await orm.em.fork().nativeUpdate(Invoice, { id: voided.id }, { status: 'VOID' });
    const earlier = await anInvoice(new Date('2899-12-31T09:00:00Z'));

    await aLoop().runOnce();

    const signed = await reload(open.id);
    expect(signed).toMatchObject({ etimsReceiptNumber: expect.stringMatching(/^\d+$/), etimsLastError: null });
    expect(signed.etimsQrCodeUrl).toContain(`tin=${SELLER_PIN}`);
    expect(await reload(voided.id)).toMatchObject({ etimsReceiptNumber: null, etimsAttempts: 0 });
    expect(await reload(earlier.id)).toMatchObject({ etimsReceiptNumber: null, etimsAttempts: 0 });
    expect(sandbox.sales.filter((number) => number === open.number)).toHaveLength(1);
    expect(sandbox.sales).not.toContain(voided.number);
    expect(sandbox.sales).not.toContain(earlier.number);
  });

  it('offers each invoice once with two workers at it', async () => {
    const invoices = await Promise.all(spread(12, new Date('2900-03-01T00:00:00Z')).map((at) => anInvoice(at)));
    const numbers = new Set(invoices.map((invoice) => invoice.number));
    const before = sandbox.sales.length;

    await Promise.all([aLoop().runOnce(), aLoop().runOnce()]);

    const offered = sandbox.sales.slice(before).filter((number) => numbers.has(number));
    expect(offered.sort()).toEqual([...numbers].sort());
    const receipts = await Promise.all(invoices.map(async (invoice) => (await reload(invoice.id)).etimsReceiptNumber));
    expect(new Set(receipts).size).toBe(12);
    expect(receipts.every((receipt) => receipt !== null)).toBe(true);
  });

  it('keeps a refusal for operators and offers the invoice again only at its next turn', async () => {
    const invoice = await anInvoice(new Date('2900-04-01T09:00:00Z'));
    const wrongKey = aLoop({ communicationKey: 'not-the-device-key' });
    await wrongKey.runOnce();

    const refused = await reload(invoice.id);
    expect(refused).toMatchObject({ etimsReceiptNumber: null, etimsAttempts: 1 });
    expect(refused.etimsLastError).toMatch(/eTIMS refused the sale \(894\): unknown device/);
    const wait = refused.etimsNextAttemptAt!.getTime() - Date.now();
    expect(wait).toBeGreaterThan(20_000);
    expect(wait).toBeLessThanOrEqual(30_000);

    await wrongKey.runOnce(); // not its turn yet: not offered, not counted
    expect(await reload(invoice.id)).toMatchObject({ etimsAttempts: 1 });

    // Its turn comes (the clock moved on), and the device key has been fixed.
    await orm.em.fork().nativeUpdate(Invoice, { id: invoice.id }, { etimsNextAttemptAt: new Date(Date.now() - 1) });
    await aLoop().runOnce();
    expect(await reload(invoice.id)).toMatchObject({ etimsReceiptNumber: expect.stringMatching(/^\d+$/) });
  });

  it('records an unreachable control unit and waits longer after each failure', async () => {
    const closed = await startEtimsSandbox();
    await closed.close();
    const invoice = await anInvoice(new Date('2900-05-01T09:00:00Z'));
    const unreachable = aLoop({ url: closed.url });
    await unreachable.runOnce();
    const first = await reload(invoice.id);
    expect(first).toMatchObject({ etimsAttempts: 1, etimsReceiptNumber: null });
    expect(first.etimsLastError).toMatch(/fetch failed/);

    await orm.em.fork().nativeUpdate(Invoice, { id: invoice.id }, { etimsNextAttemptAt: new Date(Date.now() - 1) });
    await unreachable.runOnce();
    const second = await reload(invoice.id);
    expect(second.etimsAttempts).toBe(2);
    // The second failure waits 2 minutes, not 30 seconds.
    expect(second.etimsNextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(100_000);
  });
  it('counts the invoices still unsigned for the metrics scrape', async () => {
    // Later than every other invoice here, so the count is of this one (and any a run before left at a later instant).
    const invoice = await anInvoice(new Date(Date.UTC(2950, 5, 1) + Math.floor(Math.random() * DAY_MS)));
    const gaugeValue = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]?.value;
    const refresh = backlogRefresher(orm.em, invoice.issuedAt);

    await refresh();
    expect(await gaugeValue('billing_etims_unsigned_invoices')).toBeGreaterThanOrEqual(1);
    expect(await gaugeValue('billing_etims_oldest_unsigned_age_seconds')).toBeGreaterThan(0);

    const before = (await gaugeValue('billing_etims_unsigned_invoices'))!;
    await aLoop({ submitFrom: invoice.issuedAt }).runOnce();
    await refresh();
    expect((await reload(invoice.id)).etimsReceiptNumber).not.toBeNull();
    expect(await gaugeValue('billing_etims_unsigned_invoices')).toBeLessThan(before);
  });
});
