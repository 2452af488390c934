// Where a command finds the API and its credentials: flags first, then the environment (then, later, a login).
import type { Command } from 'commander';
import { GraphQLClient } from './client.js';
import { CliError, EXIT } from './errors.js';
import { formatOf, type Format } from './output.js';
import { freshSession, loadSession } from './session.js';

export interface GlobalOptions {
  apiUrl?: string;
  apiKey?: string;
  json?: boolean;
  csv?: boolean;
}

export interface CommandContext {
  client: GraphQLClient;
  format: Format;
}

export function apiUrlOf(command: Command): string {
  const apiUrl = command.optsWithGlobals<GlobalOptions>().apiUrl ?? process.env.BILLING_API_URL;
  if (!apiUrl) throw new CliError('no API address: pass --api-url or set BILLING_API_URL', EXIT.USAGE);
  if (!URL.canParse(apiUrl)) throw new CliError(`--api-url ${apiUrl} is not a URL`, EXIT.USAGE);
  return apiUrl;
}

/** An API key (flag, then environment) wins; else the session `billing login` remembered. */
export async function contextOf(command: Command): Promise<CommandContext> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const format = formatOf(options);
  const apiKey = options.apiKey ?? process.env.BILLING_API_KEY;
  if (apiKey) return { client: new GraphQLClient({ apiUrl: apiUrlOf(command), apiKey }), format };
  const session = await loadSession();
  if (!session) {
    throw new CliError('no credentials: pass --api-key, set BILLING_API_KEY or run billing login', EXIT.AUTH);
  }
  const { apiUrl, accessToken } = await freshSession(session);
  return { client: new GraphQLClient({ apiUrl, accessToken }), format };
}

/** A whole number option, refused with the option's name when it is not one. */
export function integer(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new CliError(`${name} must be a whole number, got ${value}`, EXIT.USAGE);
    return Number(value);
  };
}

/** Drops the options the user did not give, so the API sees only the filters asked for. */
export function given<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
