import { isObjectType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, RegistrationClosedError, ValidationError } from '../src/errors.js';
import { raisingOnly } from '../src/resolvers/refusals.js';

const { schema } = await import('../src/resolvers/index.js');

const errorTypes = new Set(['ValidationError', 'NotFoundError', 'ForbiddenError', 'ConflictError', 'RegistrationClosedError']);

/** Each mutation's refusals, as its result union names them. */
function refusalsByMutation(): Map<string, string[]> {
  const mutations = schema.getMutationType()!.getFields();
  return new Map(
    Object.entries(mutations).map(([name, field]) => {
      const union = field.type.toString().replace(/!$/, '');
      const type = schema.getType(union);
      expect(isUnionType(type), `${name} answers a result union`).toBe(true);
      const members = isUnionType(type) ? type.getTypes().map((member) => member.name) : [];
      return [name, members.filter((member) => errorTypes.has(member)).sort()];
    }),
  );
}

describe("a mutation's result union", () => {
  const refusals = refusalsByMutation();

  it('names RegistrationClosedError only where a registration window is checked', () => {
    const closing = [...refusals].filter(([, types]) => types.includes('RegistrationClosedError')).map(([name]) => name);
    expect(closing.sort()).toEqual(['registerForEvent', 'updateRegistration']);
    expect(refusals.get('createDocument')).toEqual(['ForbiddenError', 'NotFoundError', 'ValidationError']);
  });

  it('names ConflictError only for writes refused by the state of the data', () => {
    const conflicting = [...refusals].filter(([, types]) => types.includes('ConflictError')).map(([name]) => name);
    expect(conflicting.sort()).toEqual(['deleteEvent', 'deleteMechanismType', 'deleteSession', 'importEvent']);
  });

  it('names ForbiddenError exactly for the writes that need an admin scope', () => {
    for (const [name, types] of refusals) {
      const field = schema.getMutationType()!.getFields()[name]!;
      const options = (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
      expect(types.includes('ForbiddenError'), name).toBe(options?.authScopes !== undefined);
    }
    expect(refusals.get('registerForEvent')).toEqual(['NotFoundError', 'RegistrationClosedError', 'ValidationError']);
  });

  it('has every member an object type: a payload and its refusals', () => {
    for (const [name] of refusals) {
      const union = schema.getType(schema.getMutationType()!.getFields()[name]!.type.toString().replace(/!$/, ''));
      if (isUnionType(union)) for (const member of union.getTypes()) expect(isObjectType(member)).toBe(true);
    }
  });
});

describe('raisingOnly', () => {
  it('lets through the refusals a mutation declares', async () => {
    const refusal = new NotFoundError('No event has this ID.');
    await expect(raisingOnly('updateEvent', [ValidationError, NotFoundError], () => Promise.reject(refusal))).rejects.toBe(refusal);
  });

  it('turns an undeclared refusal into an unexpected error, naming the mutation and the code', async () => {
    const undeclared = raisingOnly('createDocument', [ValidationError, NotFoundError], () => Promise.reject(new RegistrationClosedError('closed')));
    await expect(undeclared).rejects.toThrow('createDocument raised REGISTRATION_CLOSED, which its result union does not name');
    await expect(undeclared).rejects.not.toBeInstanceOf(ConflictError);
  });

  it('passes the result and non-domain errors through as they are', async () => {
    await expect(raisingOnly('createEvent', [], async () => 'event-id')).resolves.toBe('event-id');
    const failure = new TypeError('bug');
    await expect(raisingOnly('createEvent', [], () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
