import { GraphQLError } from 'graphql';

/** Too many attempts: the client should wait `retryAfterSeconds`. */
export class RateLimitedError extends GraphQLError {
  constructor(message: string, retryAfterSeconds: number) {
    super(`${message}; try again in ${retryAfterSeconds} s`, {
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
    });
  }
}
