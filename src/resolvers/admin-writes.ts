import type { InputFieldMap, InputObjectRef, ObjectRef, SchemaTypes } from '@pothos/core';
import type { PrismaModelTypes, PrismaObjectRef } from '@pothos/plugin-prisma';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { actingAs } from '../db/audit.js';
import { prisma } from '../db/client.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { AuditActor } from '../db/audit.js';
import type { AdminPrincipal } from '../rules/admin-tokens.js';
import { builder } from '../schema/builder.js';
import { Event } from '../schema/event.js';
import { translatableFields, type TranslatableType } from '../rules/translation.js';
import { raisingOnly, type Refusal } from './refusals.js';

// The shape every admin write shares: one input, one payload, and a result union naming only the
// refusals the write can raise. An entity's admin writes are one declaration (`entityWrites`).

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

/** A global ID as an input gives it: the type it names and the row's own ID. */
export interface GlobalID {
  typename: string;
  id: string;
}

/** What an admin write is given: the rows it names by ID, and fields its own parser checks (src/rules/event-file.ts). */
export type WriteInput<IDs extends string = never> = { [Name in IDs]: GlobalID } & Record<string, unknown>;

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

interface EntityWrite<Input, Answer> {
  /** Writes the entity, answering its ID (the event it was part of, for a delete: null for what belongs to none). */
  write: (input: Input) => Promise<Answer>;
  /** What it may refuse with besides ForbiddenError: ValidationError and NotFoundError unless said (NotFoundError for a delete). */
  refusals?: Refusal[];
  description?: string;
}

/** Deletes take an ID and nothing else. */
const deletion = (t: InputFields, node: PrismaObjectRef<Types, PrismaModelTypes>) => ({ id: t.globalID({ required: true, for: node }) });

/**
 * An entity's admin writes as one declaration: `create<Name>`, `update<Name>` and
 * `delete<Name>`; their inputs, from one list of fields (a field `required` when `creating` is
 * required to create only; the update names the entity by `id` and changes only what it is given;
 * both take the entity's translations); and the `<Name>Payload` they answer, the entity loaded
 * with the client's selection in one query. Returns the payload, for other writes that answer it.
 */
export function entityWrites<Model extends PrismaModelTypes, CreateOnly extends InputFieldMap, Fields extends InputFieldMap>(
  node: PrismaObjectRef<Types, Model>,
  spec: {
    translations: { input: InputObjectRef<Types, unknown> };
    /** Fields set once, when the entity is created: what it belongs to, a key that can't change. */
    createOnly: (t: InputFields) => CreateOnly;
    fields: (t: InputFields, creating: boolean) => Fields;
    /** What an update does beyond changing fields, said after the usual sentence. */
    updating?: string;
    // The writes take their input as WriteInput (the IDs it names) and parse the rest themselves:
    // TypeScript can't infer the inputs' shapes here and check them against the writes at once.
    create: EntityWrite<never, string>;
    update: EntityWrite<never, string>;
    delete: EntityWrite<string, string | null>;
  },
): ObjectRef<Types, { id: string }> {
  const { name, modelName } = node;
  const translated = `Its ${new Intl.ListFormat('en').format(translatableFields[name as TranslatableType])} in its other languages.`;
  const translations = (t: InputFields, description: string) => ({ translations: t.field({ type: [spec.translations.input], description }) });
  const create = builder.inputType(`Create${name}Input`, {
    fields: (t) => ({ ...spec.createOnly(t), ...spec.fields(t, true), ...translations(t, translated) }),
  });
  const update = builder.inputType(`Update${name}Input`, {
    description: ['Fields left out stay as they are; null clears an optional one.', spec.updating].filter(Boolean).join(' '),
    fields: (t) => ({
      id: t.globalID({ required: true, for: node }),
      ...spec.fields(t, false),
      ...translations(t, 'Each language listed replaces the text in it; one with no field is removed; languages not listed stay.'),
    }),
  });
  // Every entity is a Prisma model of the same name: its delegate loads the written row.
  const rows = (prisma as unknown as Record<string, { findUniqueOrThrow: (args: object) => Promise<Model['Shape']> }>)[`${modelName[0]!.toLowerCase()}${modelName.slice(1)}`]!;
  const payload = builder.objectRef<{ id: string }>(`${name}Payload`).implement({
    fields: (t) => ({
      // The generic model defeats Pothos' inference of the shape; the row is the entity's model.
      [`${name[0]!.toLowerCase()}${name.slice(1)}`]: t.prismaField({ type: node, resolve: (query, written) => rows.findUniqueOrThrow({ ...query, where: { id: written.id } }) as never }),
    }),
  });
  const answering = <Input>({ write, refusals = [ValidationError, NotFoundError], description }: EntityWrite<Input, string>, input: InputObjectRef<Types, Input>): Write<Input, { id: string }> => ({
    input,
    payload,
    refusals,
    description,
    write: async (given) => ({ id: await write(given) }),
  });
  adminMutation(`create${name}`, answering(spec.create, create as InputObjectRef<Types, never>));
  adminMutation(`update${name}`, answering(spec.update, update as InputObjectRef<Types, never>));
  adminMutation(`delete${name}`, {
    input: builder.inputType(`Delete${name}Input`, { fields: (t) => deletion(t, node) }),
    payload: DeletePayload,
    refusals: spec.delete.refusals ?? [NotFoundError],
    description: spec.delete.description,
    write: async ({ id }) => ({ deletedId: encodeGlobalID(name, id.id), eventId: await spec.delete.write(id.id) }),
  });
  return payload;
}
