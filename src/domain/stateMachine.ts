// A state machine written once as a list of transitions, each with what causes it. The code asks it (`can`,
// `assert`), and docs/states.md shows it (`mermaid`, checked against the page by a test), so the rules, the checks and
// the documentation cannot drift apart.

/** `[*]` is where a machine starts and ends, as in a mermaid state diagram. */
export const START_OR_END = '[*]';

export interface Transition<S extends string> {
  from: S | typeof START_OR_END;
  to: S | typeof START_OR_END;
  /** What causes it, in the words docs/states.md shows. */
  when: string;
  /** The request that may cause it (a lifecycle Update), when a request may. */
  by?: string;
}

export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine} cannot go from ${from} to ${to}`);
  }
}

export class StateMachine<S extends string> {
  constructor(
    /** The noun in refusals: "invoice cannot go from PAID to VOID". */
    readonly name: string,
    readonly states: readonly S[],
    readonly transitions: readonly Transition<S>[],
  ) {
    for (const { from, to } of transitions) {
      for (const state of [from, to]) {
        if (state !== START_OR_END && !states.includes(state)) throw new Error(`${name}: unknown state ${state}`);
      }
    }
  }

  /** Staying in the same state is always allowed: activities are re-run safely. */
  can(from: S, to: S): boolean {
    return from === to || this.transitions.some((transition) => transition.from === from && transition.to === to);
  }

  assert(from: S, to: S): void {
    if (!this.can(from, to)) throw new IllegalTransitionError(this.name, from, to);
  }

  /** The states `from` may move to (itself left out), in the order the table lists them. */
  next(from: S): S[] {
    const targets = this.transitions.filter((t) => t.from === from && t.to !== START_OR_END && t.to !== from);
    return [...new Set(targets.map((t) => t.to as S))];
  }

  /** Whether `request` may move a machine in state `from` to `to` (the request's own transition, not any other). */
  canRequest(from: S, to: S, request: string): boolean {
    return this.transitions.some((t) => t.from === from && t.to === to && t.by === request);
  }

  /** The machine as a mermaid state diagram, one line per transition. */
  mermaid(): string {
    const lines = this.transitions.map(({ from, to, when }) => `    ${from} --> ${to}${when ? `: ${when}` : ''}`);
    return ['stateDiagram-v2', ...lines].join('\n');
  }
}
