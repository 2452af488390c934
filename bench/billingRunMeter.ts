// What a phase of a billing run costs each party: CPU seconds of the worker, Temporal and API processes (however
// many, however often killed and restarted), of Postgres and of this process, the workers' resident memory, and
// Postgres connections, sampled once a second from /proc.
import { cpuSeconds, postgresCpuSeconds, rssMiB } from './billingRunProcesses.js';

export interface CpuFigures {
  /** CPU seconds over the phase, and percent of one core over its wall time. */
  seconds: number | null;
  percentOfCore: number | null;
}

export type Role = 'worker' | 'temporal' | 'api';
export type Metered = { wall: number } & Record<Role | 'postgres' | 'bench', CpuFigures>;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function cpuBetween(seconds: number | null, wallSeconds: number): CpuFigures {
  if (seconds === null) return { seconds: null, percentOfCore: null };
  return { seconds: round(seconds), percentOfCore: wallSeconds > 0 ? Math.round((seconds / wallSeconds) * 100) : null };
}

const benchCpu = () => (process.cpuUsage().user + process.cpuUsage().system) / 1e6;

export class Meter {
  /** Every process seen in the phase: CPU seconds when first and last seen. */
  private readonly seen = new Map<number, { role: Role; first: number; last: number }>();
  private start = { postgres: 0, bench: 0, at: 0 };
  private begun = false;
  rssMax: number | null = null;
  connectionsMax: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** The processes of the run right now, by role. */
    private readonly processes: () => { role: Role; pid: number | undefined }[],
    private readonly connections: (() => Promise<number>) | null,
  ) {}

  begin(): void {
    this.start = { postgres: postgresCpuSeconds() ?? 0, bench: benchCpu(), at: performance.now() };
    this.sample();
    this.begun = true;
    this.timer = setInterval(() => {
      this.sample();
      void this.countConnections();
    }, 1000);
  }

  /**
   * Reads each process's CPU time (call it just before killing one, so what it used counts). A process first seen
   * after the phase began was started during it (a restarted worker or server): all its CPU counts.
   */
  sample(): void {
    for (const { role, pid } of this.processes()) {
      const now = cpuSeconds(pid);
      if (pid === undefined || now === null) continue;
      const entry = this.seen.get(pid) ?? { role, first: this.begun ? 0 : now, last: now };
      entry.last = now;
      this.seen.set(pid, entry);
      if (role === 'worker') {
        const rss = rssMiB(pid);
        if (rss !== null) this.rssMax = Math.max(this.rssMax ?? 0, rss);
      }
    }
  }

  private async countConnections(): Promise<void> {
    if (!this.connections) return;
    const count = await this.connections().catch(() => null);
    if (count !== null) this.connectionsMax = Math.max(this.connectionsMax ?? 0, count);
  }

  end(): Metered {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const wall = (performance.now() - this.start.at) / 1000;
    const byRole = (role: Role) => {
      const entries = [...this.seen.values()].filter((entry) => entry.role === role);
      return entries.length ? entries.reduce((sum, entry) => sum + entry.last - entry.first, 0) : null;
    };
    const postgres = postgresCpuSeconds();
    return {
      wall,
      worker: cpuBetween(byRole('worker'), wall),
      temporal: cpuBetween(byRole('temporal'), wall),
      api: cpuBetween(byRole('api'), wall),
      postgres: cpuBetween(postgres === null ? null : postgres - this.start.postgres, wall),
      bench: cpuBetween(benchCpu() - this.start.bench, wall),
    };
  }
}
