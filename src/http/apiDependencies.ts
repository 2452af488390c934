import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { AccessTokens } from '../auth/accessTokens.js';
import { CallerResolver } from '../auth/resolveCaller.js';
import type { Config } from '../config.js';
import type { ContextDependencies } from '../graphql/context.js';
import { RateLimiter } from './rateLimit.js';

/** Everything a GraphQL request needs, built from configuration: shared by server.ts and the tests. */
export function apiDependencies(config: Config, em: EntityManager, client: Client): ContextDependencies {
  const accessTokens = new AccessTokens(config.auth.jwtSecret, config.auth.accessTokenTtlSeconds);
  const attempts = config.security.loginAttemptsPerMinute;
  return {
    em,
    temporal: { client, taskQueue: config.temporal.taskQueue },
    callers: new CallerResolver(em, accessTokens),
    sessions: { accessTokens, refreshTokenTtlDays: config.auth.refreshTokenTtlDays },
    billing: config.billing,
    // Many people can share one address (an office, a mobile carrier's NAT): it gets ten times an email's budget.
    loginLimiter: {
      perEmail: new RateLimiter({ capacity: attempts, refillPerSecond: attempts / 60 }),
      perAddress: new RateLimiter({ capacity: attempts * 10, refillPerSecond: (attempts * 10) / 60 }),
    },
  };
}

export function securityOptions(config: Config) {
  return {
    graphqlIde: config.http.graphqlIde,
    corsOrigins: config.security.corsOrigins,
    tls: config.security.tls,
    requestsPerMinute: config.security.rateLimitPerMinute,
  };
}
