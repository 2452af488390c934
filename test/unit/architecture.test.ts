// The rules of the house (shared/ARCHITECTURE.md, "Never") that a reviewer could miss.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => (match[1] ?? match[2])!,
  );
}

describe('architecture', () => {
  it('keeps the sandboxes independent of src/: they are a second reading of the providers’ documents', () => {
    const offenders = sources(join(root, 'sandboxes')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.includes('/src/') || specifier.startsWith('src/'))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps workflow code free of I/O: only the domain, Temporal workflow APIs and activity types', () => {
    const allowed = [/^@temporalio\/(workflow|common)$/, /^\.\.\/domain\//, /^\.\//];
    const offenders = sources(join(root, 'src', 'workflows')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return importsOf(file)
        .filter((specifier) => !allowed.some((pattern) => pattern.test(specifier)))
        .filter(
          (specifier) =>
            !new RegExp(`import type [^;]*from ['"]${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).test(text),
        )
        .map((specifier) => `${relative(root, file)} imports ${specifier}`);
    });
    expect(offenders).toEqual([]);
  });

  it('reaches Temporal from the API side only through src/temporal/ (the lifecycle gateway and its wiring)', () => {
    const offenders = sources(join(root, 'src'))
      .filter((file) => !file.startsWith(join(root, 'src', 'temporal')))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => specifier === '@temporalio/client')
          .map((specifier) => `${relative(root, file)} imports ${specifier}`),
      );
    // Types only: the API's dependencies take the client that server.ts connects.
    expect(offenders).toEqual(['src/http/apiDependencies.ts imports @temporalio/client']);
  });

  it('lets no use case name a workflow, a workflow id or a Temporal Update: they ask the gateway', () => {
    const useCases = ['billing', 'payments', 'customers', 'catalog', 'accounts', 'reports', 'creditNotes', 'ledger'];
    const offenders = useCases
      .flatMap((room) => sources(join(root, 'src', room)))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => /\/workflows\/(signals|subscription)\.js$/.test(specifier))
          .map((specifier) => `${relative(root, file)} imports ${specifier}`),
      );
    expect(offenders).toEqual([]);
  });

  it('keeps the kernel free of feature rooms: every use case may import it, it imports none of them', () => {
    const offenders = sources(join(root, 'src', 'kernel')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('.') && !specifier.startsWith('./'))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the domain free of I/O', () => {
    const offenders = sources(join(root, 'src', 'domain')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith('./'))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
