import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { QUERY_TOO_COMPLEX } from './limits.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../kernel/errors.js';
import { InvalidCredentialsError } from '../auth/resolveCaller.js';
import { processLog } from '../logger.js';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

/** Maps use-case errors to GraphQL errors with `extensions.code`; unknown errors are hidden from clients. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED but keeps the rest of its extensions: give
  // the query limits (which carry `limit`) their own code back, so clients can tell "too big" from "malformed".
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && formatted.extensions.limit) {
    return { ...formatted, extensions: { ...formatted.extensions, code: QUERY_TOO_COMPLEX } };
  }
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof ValidationError) {
    return {
      ...base,
      message: original.message,
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields: original.fields },
    };
  }
  if (original instanceof NotFoundError) {
    return {
      ...base,
      message: original.message,
      extensions: { code: ErrorCode.NOT_FOUND, entity: original.entity, id: original.id },
    };
  }
  if (original instanceof UnauthenticatedError || original instanceof InvalidCredentialsError) {
    return { ...base, message: original.message, extensions: { code: ErrorCode.UNAUTHENTICATED } };
  }
  if (original instanceof ForbiddenError) {
    return { ...base, message: original.message, extensions: { code: ErrorCode.FORBIDDEN } };
  }
  if (original instanceof ConflictError) {
    return {
      ...base,
      message: original.message,
      extensions: { code: ErrorCode.CONFLICT, ...(original.field ? { field: original.field } : {}) },
    };
  }
  if (original instanceof GraphQLError || formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    return formatted;
  }
  processLog().error('unexpected error in GraphQL operation', { error: original });
  return { ...base, message: 'internal error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
