import { DomainError, type ConflictError, type ForbiddenError, type NotFoundError, type RegistrationClosedError, type ValidationError } from '../errors.js';

// A mutation's result union names the refusals it can raise, and only those (src/schema/error.ts
// makes the types); each mutation declares them beside its resolver, and `raisingOnly` holds it to them.

/** An error class a mutation's result union can name. */
export type Refusal = typeof ValidationError | typeof NotFoundError | typeof ConflictError | typeof ForbiddenError | typeof RegistrationClosedError;

/**
 * Runs a mutation's work, letting through only the refusals its union names: any other domain
 * error means the declaration is wrong, and is answered as an unexpected error (which the tests
 * see) rather than as a refusal the client was never told to expect.
 */
export async function raisingOnly<T>(mutation: string, refusals: readonly Refusal[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && !refusals.some((refusal) => error instanceof refusal)) {
      throw new Error(`${mutation} raised ${error.code}, which its result union does not name`, { cause: error });
    }
    throw error;
  }
}
