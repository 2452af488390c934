#!/usr/bin/env node
// `billing`: the platform's command line over its public GraphQL API (docs/cli.md).
import { Command, CommanderError } from 'commander';
import { completionCommand } from './commands/completion.js';
import { customersCommand } from './commands/customers.js';
import { importCommand } from './commands/import.js';
import { loginCommands } from './commands/login.js';
import { opsCommand } from './commands/ops.js';
import { invoicesCommand } from './commands/invoices.js';
import { plansCommand } from './commands/plans.js';
import { reportCommand } from './commands/report.js';
import { subscriptionsCommand } from './commands/subscriptions.js';
import { CliError, EXIT } from './errors.js';

export function buildProgram(): Command {
  const program = new Command('billing')
    .description('Subscription billing from the command line, over the GraphQL API (docs/cli.md)')
    .option('--api-url <url>', 'the API, e.g. https://billing.example.com (env BILLING_API_URL)')
    .option('--api-key <key>', 'an API key (env BILLING_API_KEY)')
    .option('--json', 'print JSON instead of a table')
    .option('--csv', 'print CSV instead of a table')
    .showHelpAfterError()
    .exitOverride();
  for (const command of [
    customersCommand(),
    plansCommand(),
    subscriptionsCommand(),
    invoicesCommand(),
    reportCommand(),
    importCommand(),
    opsCommand(),
    ...loginCommands(),
  ]) {
    program.addCommand(command);
  }
  program.addCommand(completionCommand(program));
  // Every command and subcommand: errors become our one line and exit code, not commander's process.exit.
  const overrideAll = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(overrideAll);
  };
  overrideAll(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too; commander has already printed them or the usage error.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (error instanceof CliError) {
      process.stderr.write(`billing: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`billing: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.REFUSED;
  }
}

process.exitCode = (await main(process.argv.slice(2))) || process.exitCode;
