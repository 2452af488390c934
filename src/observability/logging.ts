// The process's logger from configuration, and the adapter that sends the Temporal SDK's own lines (the worker, its
// native core, workflow `log` calls through the SDK's default sinks, activity `Context.current().log`) through it.
// The SDK adds what it knows to each of those lines: workflowId, runId and workflowType inside workflows;
// activityType, activityId, workflowId and workflowRunId inside activities.
import type { LogLevel as TemporalLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Config } from '../config.js';
import { createLogger, setProcessLog, type Logger, type LoggerOptions } from '../logger.js';
import { configSecrets } from './redaction.js';

/** The logger a process writes with, made the process's logger (`processLog()`) too. */
export function processLoggerFor(
  config: Config,
  processName: 'api' | 'worker',
  destination?: LoggerOptions['destination'],
): Logger {
  const log = createLogger(config.logLevel, {
    pretty: config.nodeEnv === 'development',
    secrets: configSecrets(config),
    base: { process: processName },
    destination,
  });
  setProcessLog(log);
  return log;
}

const LEVELS: Record<TemporalLevel, keyof Logger> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** For `Runtime.install({ logger })`. */
export function temporalLogger(log: Logger): TemporalLogger {
  const write = (level: TemporalLevel, message: string, meta?: LogMetadata) =>
    log[LEVELS[level]](message, { ...meta, source: 'temporal' });
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
