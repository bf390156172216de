import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  RegistrationClosedError,
  ValidationError,
  type FieldIssue,
} from '../errors.js';
import { builder } from './builder.js';

const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'A refusal the client can act on. `code` is stable; `message` is for people.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

const FieldError = builder.objectRef<FieldIssue>('FieldError').implement({
  fields: (t) => ({
    path: t.exposeString('path', { description: 'The offending input field, for example `input.sessionIds[1]`.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fields: t.field({ type: [FieldError], resolve: (error) => error.issues }) }),
});

for (const [type, name, description] of [
  [NotFoundError, 'NotFoundError', 'What the input refers to does not exist.'],
  [ForbiddenError, 'ForbiddenError', 'The caller may not do this.'],
  [ConflictError, 'ConflictError', 'The change conflicts with the current data.'],
  [RegistrationClosedError, 'RegistrationClosedError', 'The event does not take registrations now.'],
] as const) {
  builder.objectType(type, { name, description, interfaces: [ErrorInterface] });
}
