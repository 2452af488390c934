// Errors a use case raises for its caller. The GraphQL layer maps each to an `extensions.code`;
// activities map them to non-retryable failures.

export class UseCaseError extends Error {}

/** Input breaks a rule: `fields` maps each offending field path to the rule it breaks. */
export class ValidationError extends UseCaseError {
  override name = 'ValidationError';
  constructor(readonly fields: Record<string, string>) {
    super(
      Object.entries(fields)
        .map(([field, rule]) => `${field} ${rule}`)
        .join('; '),
    );
  }
}

export class NotFoundError extends UseCaseError {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}

/** The request clashes with existing data (a duplicate email, a reused key); `field` names the input field. */
export class ConflictError extends UseCaseError {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** No valid credentials: log in, refresh, or send an API key. */
export class UnauthenticatedError extends UseCaseError {
  override name = 'UnauthenticatedError';
}

/** Valid credentials, but this caller may not do this. */
export class ForbiddenError extends UseCaseError {
  override name = 'ForbiddenError';
}
