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

export class ConflictError extends UseCaseError {
  override name = 'ConflictError';
}
