import { prisma } from '../db/client.js';
import { builder } from '../schema/builder.js';
import { pubsub, type AgendaChange as AgendaChangeShape } from '../pubsub.js';
import { importEvent, type ImportSummary } from './event-import.js';

builder.queryFields((t) => ({
  event: t.prismaField({
    type: 'Event',
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, { slug }) => prisma.event.findUnique({ ...query, where: { slug } }),
  }),
  events: t.prismaConnection({
    type: 'Event',
    cursor: 'id',
    totalCount: () => prisma.event.count(),
    resolve: (query) => prisma.event.findMany({ ...query, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] }),
  }),
  mechanismTypes: t.prismaField({
    type: ['MechanismType'],
    resolve: (query) => prisma.mechanismType.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
}));

const ImportEventInput = builder.inputType('ImportEventInput', {
  fields: (t) => ({
    file: t.field({
      type: 'JSONObject',
      required: true,
      description: 'A seed file\'s content: `{ mechanismTypes, event }` (see seed/ohchr-remedy-tech-2021.json).',
    }),
  }),
});

const ImportEventPayload = builder.objectRef<ImportSummary>('ImportEventPayload').implement({
  fields: (t) => ({
    event: t.prismaField({
      type: 'Event',
      resolve: (query, summary) => prisma.event.findUniqueOrThrow({ ...query, where: { id: summary.eventId } }),
    }),
    created: t.exposeInt('created', { description: 'Rows created; 0, with updated and deleted, when the event was already as the file says.' }),
    updated: t.exposeInt('updated'),
    deleted: t.exposeInt('deleted'),
  }),
});

builder.mutationFields((t) => ({
  importEvent: t.field({
    type: ImportEventPayload,
    description: 'Upserts a whole event from a seed file, in one transaction: all or nothing, and idempotent.',
    authScopes: { writeEvents: true },
    args: { input: t.arg({ type: ImportEventInput, required: true }) },
    errors: {},
    resolve: (_root, { input }) => importEvent(input.file),
  }),
}));

const AgendaChange = builder.objectRef<AgendaChangeShape>('AgendaChange').implement({
  fields: (t) => ({
    eventSlug: t.exposeString('eventSlug'),
    revision: t.exposeInt('revision', { description: 'The event\'s revision after the change: refetch the agenda if yours is older.' }),
  }),
});

builder.subscriptionFields((t) => ({
  agendaChanged: t.field({
    type: AgendaChange,
    description: 'Fires when an event\'s schedule changes, from any API process (through Redis when REDIS_URL is set).',
    args: { eventSlug: t.arg.string({ required: true }) },
    subscribe: (_root, { eventSlug }) => pubsub.subscribe('agendaChanged', eventSlug),
    resolve: (change) => change,
  }),
}));
