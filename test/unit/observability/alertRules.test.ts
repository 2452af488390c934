// promtool is not installable here, so the alert rules and the dashboard are checked by parsing: every rule has what
// Prometheus and an operator need, and every expression names only metrics that exist: ours as the code registers
// them, the Temporal SDK's as its core names them, and Prometheus's own `up`. The compose wiring (scrape targets,
// mounts, ports) is checked against the configuration the services get.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config.js';
import '../../../src/observability/backlogMetrics.js';
import { collectProcessMetrics, registry } from '../../../src/observability/metrics.js';

const root = join(import.meta.dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Rule {
  alert?: string;
  record?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (parse(read('ops/prometheus/alerts.yml')) as { groups: { name: string; rules: Rule[] }[] }).groups;
const dashboard = JSON.parse(read('ops/grafana/dashboards/billing.json')) as {
  uid: string;
  panels: { type: string; title: string; targets?: { expr: string; datasource: { uid: string } }[] }[];
};

/** Our series names: each metric, and a histogram's _bucket, _count and _sum. */
function registeredNames(): Set<string> {
  collectProcessMetrics();
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(metric.name + suffix);
  }
  return names;
}

/** The Temporal SDK core's metric sources (shipped in @temporalio/core-bridge), where each name is a string. */
function temporalCoreSource(): string {
  const bridge = dirname(createRequire(import.meta.url).resolve('@temporalio/core-bridge/package.json'));
  const files = ['sdk-core', 'common'].map((crate) =>
    join(bridge, 'sdk-core', 'crates', crate, 'src', 'telemetry', 'metrics.rs'),
  );
  for (const file of files) expect(existsSync(file)).toBe(true);
  return files.map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** Metric names in a PromQL expression: ours (`billing_`), the SDK's (`temporal_`) and `up`. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(billing_[a-z0-9_]+|temporal_[a-z0-9_]+|up)\b(?!\s*\()/g)].map((match) => match[1]!);
}

function unknownMetrics(exprs: string[]): string[] {
  const ours = registeredNames();
  const core = temporalCoreSource();
  return exprs.flatMap(metricsIn).filter((name) => {
    if (name === 'up') return false;
    if (name.startsWith('billing_')) return !ours.has(name);
    const base = name.slice('temporal_'.length).replace(/_(bucket|count|sum)$/, '');
    return !core.includes(`"${base}"`);
  });
}

describe('alert rules (ops/prometheus/alerts.yml)', () => {
  const all = rules.flatMap((group) => group.rules);

  it('covers what pages an operator', () => {
    const exprs = all.map((rule) => rule.expr ?? '').join('\n');
    expect(exprs).toMatch(/billing_payment_oldest_pending_age_seconds/);
    expect(exprs).toMatch(/billing_outbox_oldest_pending_age_seconds/);
    expect(exprs).toMatch(/billing_provider_webhooks_total\{outcome="rejected"\}/);
    expect(exprs).toMatch(/temporal_workflow_task_execution_failed/);
    expect(exprs).toMatch(/billing_readiness/);
  });

  it.each(all.map((rule) => [rule.alert ?? rule.record ?? '(unnamed)', rule] as const))(
    '%s has a name, an expression, a duration, a severity, a summary and a description',
    (_name, rule) => {
      expect(rule.alert).toMatch(/^Billing[A-Za-z]+$/);
      expect(typeof rule.expr).toBe('string');
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['page', 'ticket']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary?.length).toBeGreaterThan(10);
      expect(rule.annotations?.description?.length).toBeGreaterThan(10);
      // Balanced brackets: the commonest way a hand-written expression breaks.
      for (const [open, close] of ['()', '{}', '[]']) {
        expect(rule.expr!.split(open!).length).toBe(rule.expr!.split(close!).length);
      }
    },
  );

  it('has unique alert names', () => {
    const names = all.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names only metrics that exist', () => {
    expect(unknownMetrics(all.map((rule) => rule.expr ?? ''))).toEqual([]);
  });
});

describe('Grafana dashboard (ops/grafana/dashboards/billing.json)', () => {
  const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);

  it('has the payments, latency, errors, outbox and workflows rows', () => {
    const rows = dashboard.panels.filter((panel) => panel.type === 'row').map((panel) => panel.title);
    expect(rows).toEqual(['Payments', 'Latency', 'Errors', 'Outbox and events out', 'Workflows']);
  });

  it('queries the provisioned Prometheus data source, naming only metrics that exist', () => {
    const datasource = parse(read('ops/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(targets.length).toBeGreaterThan(10);
    expect(new Set(targets.map((target) => target.datasource.uid))).toEqual(new Set([datasource.datasources[0]!.uid]));
    expect(unknownMetrics(targets.map((target) => target.expr))).toEqual([]);
  });
});

describe('Prometheus and Grafana in docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; volumes?: string[]; ports?: string[] }>;
  };
  const scrape = parse(read('ops/prometheus/prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };

  /** A service's configuration, with compose's ${NAME:-default} placeholders at their defaults. */
  const configOf = (service: string) =>
    loadConfig(
      Object.fromEntries(
        Object.entries(compose.services[service]!.environment ?? {}).map(([key, value]) => [
          key,
          String(value).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
        ]),
      ),
    );

  it("scrapes the API's and the worker's metrics listeners where their configuration puts them", () => {
    const targetOf = (job: string) =>
      scrape.scrape_configs.find((config) => config.job_name === job)!.static_configs[0]!;
    const api = configOf('api');
    const worker = configOf('worker');
    expect(api.metrics.host).toBe('0.0.0.0');
    expect(targetOf('billing-api').targets).toEqual([`api:${api.metrics.port}`]);
    expect(targetOf('billing-worker').targets).toEqual([`worker:${worker.metrics.workerPort}`]);
  });

  it('mounts the rules Prometheus loads and the provisioning Grafana reads', () => {
    expect(compose.services.prometheus?.volumes).toContain('./ops/prometheus:/etc/prometheus:ro');
    expect(scrape.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(compose.services.grafana?.volumes).toEqual(
      expect.arrayContaining([
        './ops/grafana/provisioning:/etc/grafana/provisioning:ro',
        './ops/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    const provider = parse(read('ops/grafana/provisioning/dashboards/billing.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]!.options.path).toBe('/var/lib/grafana/dashboards');
  });
});
