// One lifecycle scenario on its own time-skipping test server (the server's clock is shared by everything on it),
// with a worker running the real activities against Postgres and a local M-Pesa sandbox for the charges.
import { SubscriptionLifecycle } from '../../src/temporal/subscriptionLifecycle.js';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { subscribe } from '../../src/billing/subscribe.js';
import type { Orm } from '../../src/db/orm.js';
import type { Subscription } from '../../src/entities/index.js';
import { collectionPolicy } from '../../src/http/apiDependencies.js';
import type { MpesaSandbox } from '../../sandboxes/mpesa/server.js';
import { listeningMpesaSandbox } from './mpesaSandbox.js';
import type { ActivityGate } from './activityGate.js';
import { testCipher, testConfig } from './config.js';
import { testOrm } from './db.js';
import { aCustomer, admin, aPlan } from './fixtures.js';
import { billingWorker, timeSkippingEnvironment } from './temporal.js';

export interface Scenario {
  env: TestWorkflowEnvironment;
  orm: Orm;
  starter: SubscriptionLifecycle;
  sandbox: MpesaSandbox;
  /** The settings that point an API or a provider at the sandbox (MPESA_BASE_URL, credentials). */
  sandboxSettings: Record<string, string>;
  now(): Promise<Date>;
  /** Moves Temporal's clock and the sandbox's together (Daraja's 2-minute duplicate rule reads the sandbox's). */
  advance(ms: number): Promise<void>;
  /** A new customer subscribed, at the server's time, to a new plan with these terms. */
  subscribeTo(
    plan: Parameters<typeof aPlan>[1],
    extra?: Partial<Parameters<typeof subscribe>[4]>,
  ): Promise<{ subscription: Subscription; customer: Awaited<ReturnType<typeof aCustomer>> }>;
}

/** A fresh time-skipping server, worker and M-Pesa sandbox for one scenario; `settings` are configuration. */
export async function scenario(
  settings: Record<string, string>,
  run: (s: Scenario) => Promise<void>,
  options: { gate?: ActivityGate } = {},
): Promise<void> {
  let offset = 0;
  const { sandbox, settings: sandboxSettings } = await listeningMpesaSandbox({
    callbackDelayMs: 20,
    callbackRetryDelaysMs: [], // no API listens for the callbacks here: the scenarios signal the workflow themselves
    now: () => new Date(Date.now() + offset),
  });
  const config = {
    ...sandboxSettings,
    MPESA_CALLBACK_SECRET: 'lifecycle-callback-secret-01',
    ...settings,
  };
  const [env, orm] = await Promise.all([timeSkippingEnvironment(), testOrm()]);
  const taskQueue = `lifecycle-${randomUUID()}`;
  const worker = await billingWorker(env, orm, taskQueue, config, {
    activity: options.gate ? [options.gate.interceptor] : [],
  });
  const running = worker.run();
  const starter: SubscriptionLifecycle = new SubscriptionLifecycle(
    env.client,
    taskQueue,
    collectionPolicy(testConfig(config)),
  );
  try {
    await run({
      env,
      orm,
      sandbox,
      sandboxSettings,
      starter,
      now: async () => new Date((await env.currentTimeMs()) as number),
      advance: async (ms) => {
        offset += ms;
        await env.sleep(ms);
      },
      subscribeTo: async (terms, extra = {}) => {
        const [customer, plan] = await Promise.all([aCustomer(orm.em), aPlan(orm.em, terms)]);
        const at = new Date((await env.currentTimeMs()) as number);
        const subscription = await subscribe(
          orm.em,
          admin,
          starter,
          testCipher(),
          { customerId: customer.id, planId: plan.id, ...extra },
          at,
        );
        return { subscription, customer };
      },
    });
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
    await sandbox.close();
    await orm.close();
  }
}
