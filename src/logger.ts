// Structured logs through pino: one JSON object a line (pino-pretty in development when it is installed), the
// level from LOG_LEVEL, and on every line what the context knows (the HTTP request's id, the active trace and
// span). Callers log ids, not credentials; the redaction below is the net under that rule, not the rule itself.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger as PinoLogger, type LoggerOptions as LoggerSettings } from 'pino';
import { logContext } from './observability/logContext.js';
import { scrubberFor, REDACTED } from './observability/redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Readable lines for a person (pino-pretty); falls back to JSON when pino-pretty is not installed. */
  pretty?: boolean;
  /** Values never to print (the configuration's secrets, src/observability/redaction.ts). */
  secrets?: readonly string[];
  /** Fields on every line (the process: `api` or `worker`). */
  base?: Record<string, unknown>;
  /** Where lines go; standard output when absent (tests pass a stream to read them back). */
  destination?: DestinationStream;
}

/**
 * Keys whose values are never printed, at the top level and one or two levels down (`fields.headers.authorization`).
 * pino replaces them before serializing; the scrubber then catches known secret values anywhere else.
 */
const SECRET_KEYS = [
  'password',
  'token',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  'phone',
  'email',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'consumerKey',
  'consumerSecret',
  'passkey',
  'x-api-key',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`]);

export function createLogger(minimum: LogLevel, options: LoggerOptions = {}): Logger {
  const scrub = scrubberFor(options.secrets ?? []);
  const destination = options.destination ?? (options.pretty ? prettyStream() : undefined);
  const settings = {
    level: minimum,
    base: { pid: process.pid, ...options.base },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    mixin: logContext,
  } satisfies LoggerSettings;
  const instance = destination ? pino(settings, destination) : pino(settings);
  return wrap(instance, scrub);
}

function wrap(instance: PinoLogger, scrub: (value: unknown) => unknown): Logger {
  const emit = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (!instance.isLevelEnabled(level)) return;
    if (fields && Object.keys(fields).length) instance[level](scrub(fields) as object, scrub(message) as string);
    else instance[level](scrub(message) as string);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** pino-pretty is a development dependency: a production install does not have it, and gets JSON. */
function prettyStream(): DestinationStream | undefined {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (options: object) => DestinationStream;
    return pretty({
      colorize: process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      sync: true,
    });
  } catch {
    return undefined;
  }
}

let processLogger: Logger = createLogger('info');

/** The process's logger, for code that is handed none (GraphQL error mapping, route error handlers). */
export function processLog(): Logger {
  return processLogger;
}

/** Made once at start by server.ts and worker.ts (src/observability/logging.ts), after the configuration is read. */
export function setProcessLog(logger: Logger): void {
  processLogger = logger;
}

/** Hides the password in a connection URL before it is printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
