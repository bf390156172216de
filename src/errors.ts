import { GraphQLError } from 'graphql';

/**
 * Domain errors: each maps to one GraphQL error type (src/schema/error.ts) with a stable `code`.
 * Mutations return them as members of their result union; elsewhere they reach the client as
 * errors with `extensions.code` (being GraphQLErrors, Yoga neither masks nor logs them as
 * failures). Anything else thrown is masked as an unexpected error.
 */
export abstract class DomainError extends GraphQLError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message, { extensions: { code } });
  }
}

export interface FieldIssue {
  /** Path of the offending field in the input, for example `event.sessions[1].startsAt`. */
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), 'BAD_USER_INPUT');
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(message, 'NOT_FOUND');
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(message, 'FORBIDDEN');
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

export class RegistrationClosedError extends DomainError {
  constructor(message: string) {
    super(message, 'REGISTRATION_CLOSED');
  }
}
