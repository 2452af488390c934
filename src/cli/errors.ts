// The command line's failures: one line on stderr and an exit code a script can branch on (docs/cli.md lists them).

export const EXIT = {
  OK: 0,
  /** The API refused the request: bad input, not found, conflict. */
  REFUSED: 1,
  /** Wrong or missing arguments or options. */
  USAGE: 2,
  /** Wrong, missing or expired credentials, or a caller without the scope. */
  AUTH: 3,
  /** The API could not be reached or answered something that is not GraphQL. */
  UNREACHABLE: 4,
  /** An import finished but rejected some rows (they are in the report file). */
  ROWS_REJECTED: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** The API's `extensions.code`, when the API said it. */
    readonly code?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
