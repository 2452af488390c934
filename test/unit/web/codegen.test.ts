// The portal's typed operations (web/src/graphql/, committed) must be what schema.graphql and the documents in
// web/src produce now. A schema change that removes or changes a field the app asks for fails here: codegen refuses
// a document that no longer validates, and output that would change is stale.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..', '..');
const codegen = join(root, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js');

describe('web app GraphQL code generation', () => {
  it('is up to date with schema.graphql and the operations in web/src (run `npm run web:codegen`)', () => {
    const run = spawnSync(process.execPath, [codegen, '--config', 'web/codegen.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1', CI: '1' },
    });
    const output = `${run.stdout}${run.stderr}`;
    // On failure, show what codegen said: the stale files, or the field a document asks for that the schema lacks.
    expect({ status: run.status, output: run.status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
  });
});
