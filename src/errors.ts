/**
 * Domain errors: each maps to one GraphQL error type (src/schema/error.ts) with a stable `code`.
 * Anything else thrown is masked by Yoga as an unexpected error.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export interface FieldIssue {
  /** Path of the offending field in the input, for example `event.sessions[1].startsAt`. */
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}
