// The ceiling of a billing run: a workflow that does nothing but what a renewal costs Temporal at the least (wake at
// the instant, run as many activities, one after another), each activity a no-op. Bundled on its own.
import { proxyActivities, sleep } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '90 seconds' });

export async function ceilingWorkflow(at: string, activities: number): Promise<void> {
  const wait = new Date(at).getTime() - Date.now();
  if (wait > 0) await sleep(wait);
  for (let i = 0; i < activities; i++) await noop();
}
