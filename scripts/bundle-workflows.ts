// Part of `npm run build`: bundles the workflow code once, so workers start without running webpack.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflows, prebuiltBundlePath, prebuiltTracedBundlePath } from '../src/temporal/worker.js';

// Two bundles: the traced one adds the OpenTelemetry workflow interceptors, and is loaded only with tracing on.
for (const [path, traced] of [
  [prebuiltBundlePath, false],
  [prebuiltTracedBundlePath, true],
] as const) {
  const { code } = await bundleWorkflows({ traced });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  console.log(`workflow bundle: ${path} (${(code.length / 1024).toFixed(0)} KiB)`);
}
