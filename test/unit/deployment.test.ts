// Static checks of the container deployment (Dockerfile, docker-compose.yml): they run without a Docker engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig, variables } from '../../src/config.js';
import { billingSearchAttributes } from '../../src/workflows/searchAttributes.js';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const appServices = ['migrate', 'api', 'worker'] as const;
const runtimeServices = ['api', 'worker'] as const;

/** A service's environment as a map, whether compose gives it as a map or as a list of NAME=value strings. */
function environment(name: string): Record<string, string> {
  const env = services[name]?.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]));
}

function dependencies(name: string): Record<string, string | undefined> {
  const deps = services[name]?.depends_on ?? [];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec?.condition]));
}

describe('docker-compose.yml', () => {
  it('defines every service of the deployment', () => {
    const expected = ['postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'migrate', 'api', 'worker', 'mailpit'];
    expect(Object.keys(services)).toEqual(expect.arrayContaining(expected));
  });

  it('has no obsolete top-level version key', () => {
    expect(compose).not.toHaveProperty('version');
  });

  it.each(appServices)('%s builds the project image and sets only variables that src/config.ts reads', (name) => {
    expect(services[name]?.build).toBeDefined();
    const names = Object.keys(environment(name));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((variable) => !(variable in variables))).toEqual([]);
  });

  it.each(runtimeServices)('%s starts only after the migration and Temporal setup have succeeded', (name) => {
    expect(dependencies(name)).toMatchObject({
      migrate: 'service_completed_successfully',
      'temporal-setup': 'service_completed_successfully',
    });
  });

  it.each(runtimeServices)('%s reaches Postgres and Temporal by their compose service names', (name) => {
    const env = environment(name);
    const database = new URL(env.DATABASE_URL ?? '');
    expect(database.protocol).toMatch(/^postgres(ql)?:$/);
    expect(services).toHaveProperty([database.hostname]);
    expect(database.hostname).toBe('postgres');
    expect(env.TEMPORAL_ADDRESS).toMatch(/^temporal:\d+$/);
    expect(variables.DATABASE_URL.schema.safeParse(env.DATABASE_URL).success).toBe(true);
    expect(variables.TEMPORAL_ADDRESS.schema.safeParse(env.TEMPORAL_ADDRESS).success).toBe(true);
  });

  it.each(appServices)(
    '%s has a configuration the app accepts in production (with the placeholder defaults)',
    (name) => {
      // ${NAME:-default} is what compose substitutes when the env file does not set NAME.
      const env = Object.fromEntries(
        Object.entries(environment(name)).map(([key, value]) => [key, value.replace(/^\$\{\w+:-(.*)\}$/, '$1')]),
      );
      const config = loadConfig(env);
      expect(config.nodeEnv).toBe('production');
      expect(config.smtp.url).toBe('smtp://mailpit:1025');
      expect(config.payments.keyring).toHaveLength(1);
    },
  );

  it('runs the migration and the worker from the compiled output', () => {
    expect([services.migrate?.command].flat().join(' ')).toContain('dist/scripts/migrate.js');
    expect([services.worker?.command].flat().join(' ')).toContain('dist/worker.js');
  });

  it('registers every search attribute the workflows use, with its type', () => {
    const command = [services['temporal-setup']?.command].flat().join(' ');
    const registered = Object.fromEntries(
      [...command.matchAll(/--name\s+(\w+)[\s\\]+--type\s+(\w+)/g)].map((match) => [match[1], match[2]!.toUpperCase()]),
    );
    const expected = Object.fromEntries(billingSearchAttributes.map((key) => [key.name, key.type.replace('_', '')]));
    expect(registered).toEqual(expected);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = (keyword: string) =>
    [...dockerfile.matchAll(new RegExp(`^${keyword}\\s+(.+)$`, 'gim'))].map((match) => match[1]!.trim());

  it('is a multi-stage build on Node 24', () => {
    const stages = instructions('FROM');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:24[-.\w]*(\s+AS\s+\w+)?$/i);
  });

  it('runs as a non-root user', () => {
    const users = instructions('USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:.*)?$/);
  });

  it('serves the API on port 4000 by default', () => {
    expect(instructions('EXPOSE')).toContain('4000');
    expect(instructions('CMD').at(-1)).toContain('dist/server.js');
  });
});
