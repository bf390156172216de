import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { maskError as maskUnexpected, type MaskError } from 'graphql-yoga';

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

/**
 * Yoga's masking, except that an argument Pothos refuses (an ID of another type than the field
 * takes) is bad input, said as such, rather than an error without a code.
 */
export const maskError: MaskError = (error, message, isDev) => {
  if (error instanceof GraphQLError && error.originalError instanceof PothosValidationError) {
    // The same error, given its code: Yoga logs every error it has to replace as a failure.
    (error.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
    return error;
  }
  return maskUnexpected(error, message, isDev);
};
