import type { InputFieldMap, InputObjectRef, ObjectRef, SchemaTypes } from '@pothos/core';
import type { PrismaModelTypes, PrismaObjectRef } from '@pothos/plugin-prisma';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { actingAs } from '../db/audit.js';
import { prisma } from '../db/client.js';
import { ForbiddenError } from '../errors.js';
import type { AuditActor } from '../db/audit.js';
import type { AdminPrincipal } from '../rules/admin-tokens.js';
import { builder } from '../schema/builder.js';
import { Event } from '../schema/event.js';
import { raisingOnly, type Refusal } from './refusals.js';

// The shape every admin write shares: one input, one payload, and a result union naming only the
// refusals the write can raise. Adding an entity's admin writes is a declaration (`entityWrites`).

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : SchemaTypes;

export interface Write<Input, Result> {
  input: InputObjectRef<Types, Input>;
  payload: ObjectRef<Types, Result>;
  /** What the write may refuse with, besides ForbiddenError (an admin write needs a scope). */
  refusals: Refusal[];
  description?: string;
  /** The admin scopes it needs: WRITE_EVENTS unless said. */
  scopes?: Scopes;
  write: (input: Input, context: Types['Context']) => Promise<Result>;
}

type Scopes = { [Scope in keyof Types['AuthScopes']]?: boolean } | { $all: { [Scope in keyof Types['AuthScopes']]?: boolean } };

/** Who the audit log says made an admin's changes. */
export function actorOf(admin: AdminPrincipal): AuditActor {
  return { kind: admin.kind, id: admin.id, name: admin.name };
}

/** A mutation `name(input:)` that needs an admin scope, answering its payload or one of its refusals. */
export function adminMutation<Input, Result>(name: string, spec: Write<Input, Result>): void {
  const refusals = [ForbiddenError, ...spec.refusals];
  builder.mutationField(name, (t) =>
    t.field({
      type: spec.payload as ObjectRef<Types, unknown>,
      description: spec.description,
      authScopes: spec.scopes ?? { writeEvents: true },
      args: { input: t.arg({ type: spec.input as InputObjectRef<Types, unknown>, required: true }) },
      errors: { types: refusals },
      resolve: async (_root, args, context) => actingAs(actorOf((await context.admin())!), () => raisingOnly(name, refusals, () => spec.write(args.input as Input, context))),
    }),
  );
}

/** What a delete answers: the global ID of what is gone, for clients to drop it, and the event it was part of. */
export const DeletePayload = builder.objectRef<{ deletedId: string; eventId: string | null }>('DeletePayload').implement({
  fields: (t) => ({
    deletedId: t.exposeID('deletedId'),
    event: t.prismaField({
      type: Event,
      nullable: true,
      description: 'The event it was part of; null when an event or a mechanism type was deleted.',
      resolve: (query, payload) => (payload.eventId ? prisma.event.findUnique({ ...query, where: { id: payload.eventId } }) : null),
    }),
  }),
});

interface EntityWrite<Input> {
  input: InputObjectRef<Types, Input>;
  refusals: Refusal[];
  description?: string;
  /** Writes the entity, answering its ID. */
  write: (input: Input) => Promise<string>;
}

/**
 * An entity's admin writes: `create<Name>`, `update<Name>` and `delete<Name>`, the `<Name>Payload`
 * they answer (the entity, loaded with the client's selection in one query) and
 * `Delete<Name>Input`. Returns the payload, for other writes that answer the entity.
 */
export function entityWrites<Model extends PrismaModelTypes, CreateInput, UpdateInput>(entity: {
  name: string;
  node: PrismaObjectRef<Types, Model>;
  load: (query: { include?: Model['Include']; select?: Model['Select'] }, id: string) => Promise<Model['Shape']>;
  create: EntityWrite<CreateInput>;
  update: EntityWrite<UpdateInput>;
  delete: Omit<EntityWrite<{ id: string }>, 'input' | 'write'> & {
    /** Deletes the entity, answering the event it was part of (null for what belongs to none). */
    write: (id: string) => Promise<string | null>;
  };
}): ObjectRef<Types, { id: string }> {
  const field = `${entity.name[0]!.toLowerCase()}${entity.name.slice(1)}`;
  const payload = builder.objectRef<{ id: string }>(`${entity.name}Payload`).implement({
    fields: (t) => ({
      // The generic model defeats Pothos' inference of the shape; `load` is typed by the entity's model.
      [field]: t.prismaField({ type: entity.node, resolve: (query, written) => entity.load(query, written.id) as never }),
    }),
  });
  const DeleteInput = builder.inputType(`Delete${entity.name}Input`, {
    fields: (t) => ({ id: t.globalID({ required: true, for: entity.node }) }),
  });
  const answering = <Input>({ write, ...spec }: EntityWrite<Input>): Write<Input, { id: string }> => ({ ...spec, payload, write: async (input) => ({ id: await write(input) }) });
  adminMutation(`create${entity.name}`, answering(entity.create));
  adminMutation(`update${entity.name}`, answering(entity.update));
  adminMutation(`delete${entity.name}`, {
    ...entity.delete,
    input: DeleteInput,
    payload: DeletePayload,
    write: async ({ id }) => ({ deletedId: encodeGlobalID(entity.name, id.id), eventId: await entity.delete.write(id.id) }),
  });
  return payload;
}

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/**
 * An entity's `Create<Name>Input` and `Update<Name>Input` from one list of fields: a field
 * `required` when `creating` is required to create only; the update names the entity by `id` and
 * changes only what it is given; both take the entity's translations.
 */
export function entityInputs<CreateOnly extends InputFieldMap, Fields extends InputFieldMap>(
  name: string,
  spec: {
    node: PrismaObjectRef<Types, PrismaModelTypes>;
    translations: InputObjectRef<Types, unknown>;
    /** What the translations hold, for example "Its title and description in the event's other content languages." */
    translated: string;
    /** Fields set once, when the entity is created: what it belongs to, a key that can't change. */
    createOnly: (t: InputFields) => CreateOnly;
    fields: (t: InputFields, creating: boolean) => Fields;
    /** What an update does beyond changing fields, said after the usual sentence. */
    updating?: string;
  },
) {
  const create = builder.inputType(`Create${name}Input`, {
    fields: (t) => ({
      ...spec.createOnly(t),
      ...spec.fields(t, true),
      translations: t.field({ type: [spec.translations], description: spec.translated }),
    }),
  });
  const update = builder.inputType(`Update${name}Input`, {
    description: ['Fields left out stay as they are; null clears an optional one.', spec.updating].filter(Boolean).join(' '),
    fields: (t) => ({
      id: t.globalID({ required: true, for: spec.node }),
      ...spec.fields(t, false),
      translations: t.field({ type: [spec.translations], description: 'Each language listed replaces the text in it; one with no field is removed; languages not listed stay.' }),
    }),
  });
  return { create, update };
}
