/**
 * Domain errors: each maps to one GraphQL error type (src/schema/error.ts) with a stable `code`.
 * Mutations return them as members of their result union; elsewhere they reach the client as
 * errors with `extensions.code`. Anything else thrown is masked as an unexpected error.
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

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

export class RegistrationClosedError extends DomainError {
  readonly code = 'REGISTRATION_CLOSED';
}
