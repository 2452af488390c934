// Part of `npm run build`: bundles the workflow code once, so workers start without running webpack.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflows, prebuiltBundlePath } from '../src/temporal/worker.js';

const { code } = await bundleWorkflows();
mkdirSync(dirname(prebuiltBundlePath), { recursive: true });
writeFileSync(prebuiltBundlePath, code);
console.log(`workflow bundle: ${prebuiltBundlePath} (${(code.length / 1024).toFixed(0)} KiB)`);
