import { z } from 'zod';
import { responseCache } from '../cache.js';
import { prisma } from '../db/client.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors.js';
import { AttendanceMode, EventFormat, type Event as EventRow, type Prisma } from '../generated/prisma/client.js';
import { builder } from '../schema/builder.js';
import { Event, EventFormatEnum, EventStatusEnum } from '../schema/event.js';
import { AttendanceModeEnum } from '../schema/registration.js';
import { approvalModeIssues } from '../rules/registration-approval.js';
import { pubsub, type AgendaChange as AgendaChangeShape } from '../pubsub.js';
import { contentLanguagesChanged } from '../rules/content-languages.js';
import { eventTranslations } from '../schema/event.js';
import { changedFields } from '../rules/changed-fields.js';
import { contentLanguage, languageTag, optionalText, parseInput, timeZone, webUrl } from '../rules/input-fields.js';
import { eventDescription, eventLanguages } from '../rules/event-file.js';
import { importEvent, languageFields, lockEventSlug, type ImportSummary } from './event-import.js';
import { translationList, writtenTranslations, type StoredTranslations } from '../rules/translation-input.js';
import type { ContentLanguages } from '../rules/translation.js';
import type { JobQueue } from '../db/jobs.js';
import { mailJobs, scheduleJoinLinksOfEvent } from '../mail/outbox.js';
import { lockSessions } from '../db/locks.js';
import { adminMutation, entityWrites, type WriteInput } from './admin-writes.js';
import { announceAgendaChange, eventFieldsChanged, recordScheduleChanges, type ScheduleChangeInput } from './schedule.js';

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

adminMutation('importEvent', {
  input: ImportEventInput,
  payload: ImportEventPayload,
  refusals: [ValidationError, ConflictError],
  description: 'Upserts a whole event from a seed file, in one transaction: all or nothing, and idempotent. ConflictError when the file drops a session that has registrations.',
  write: (input) => importEvent(input.file),
});

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
    subscribe: async (_root, { eventSlug }) => {
      // A stream holds a connection: none for an event that isn't there.
      if (!(await prisma.event.findUnique({ where: { slug: eventSlug }, select: { id: true } }))) throw new NotFoundError(`No event has the slug "${eventSlug}".`);
      return pubsub.subscribe('agendaChanged', eventSlug);
    },
    resolve: (change) => change,
  }),
}));

// ---- Admin writes to events ----------------------------------------------------------------

type Tx = Prisma.TransactionClient;

// Admin writes to one event wait for each other on its row lock, not in the pool queue.
const transactionOptions = { maxWait: 30_000, timeout: 30_000 };

/** `row`, or a NotFoundError for the `what` the input names by ID. */
export async function found<T>(row: Promise<T | null>, what: string): Promise<T> {
  const value = await row;
  if (value === null) throw new NotFoundError(`No ${what} has this ID.`);
  return value;
}

/** The event, locked until commit: admin writes to one event take turns. */
async function lockEvent(tx: Tx, id: string): Promise<EventRow> {
  await found(tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Event" WHERE id = ${id} FOR UPDATE`.then(([row]) => row ?? null), 'event');
  return tx.event.findUniqueOrThrow({ where: { id } });
}

/**
 * Runs an admin write to an event or its content in one transaction holding the event's lock, so
 * checks such as "session numbers are unique" can't race another write. The schedule changes the
 * write reports are published in the same transaction as one new revision; after commit, cached
 * answers showing the event drop and subscribers hear of the new revision.
 */
export async function writeEventContent<T>(
  eventId: string,
  write: (tx: Tx, event: EventRow, boss: JobQueue) => Promise<{ result: T; changes: ScheduleChangeInput[]; languagesChanged?: boolean }>,
): Promise<T> {
  // Mail a write causes (promotions, join links, schedule notices) is queued in its transaction.
  const boss = await mailJobs();
  const { result, eventSlug, revision, languagesChanged } = await prisma.$transaction(async (tx) => {
    const event = await lockEvent(tx, eventId);
    const { result, changes, languagesChanged } = await write(tx, event, boss);
    return { result, eventSlug: event.slug, revision: await recordScheduleChanges(tx, boss, event.id, changes), languagesChanged };
  }, transactionOptions);
  // Before cached answers drop: no request reads the new ones with the old languages.
  if (languagesChanged) await contentLanguagesChanged();
  await announceAgendaChange(eventSlug, revision);
  // That drops answers showing the event or a session; these may show a part, panelist or document alone (node).
  await responseCache.invalidate([{ typename: 'Part' }, { typename: 'Panelist' }, { typename: 'Document' }]);
  return result;
}

/**
 * What an update writes to a row of an event's content: the fields given, and its translations
 * merged with those given; `fields` names what differs (none: nothing to write).
 */
export function contentChanges<Given extends object>(current: { translations: unknown }, given: Given, translations: StoredTranslations | undefined, event: ContentLanguages) {
  const changes = { ...given, translations: writtenTranslations(current.translations, translations, event) };
  return { changes, fields: changedFields(current, changes) };
}

/** A value that names a row within its event or session (a title, a key, a position) is used once. */
export async function usedOnce(others: Promise<number>, field: string, whose: string): Promise<void> {
  if (await others) throw new ValidationError([{ path: `input.${field}`, message: `is used by another ${whose}` }]);
}

/** After an event is created or deleted: every cached list of events, and what showed its sessions, is stale. */
async function eventsChanged(): Promise<void> {
  await responseCache.invalidate([{ typename: 'Event' }, { typename: 'Session' }]);
}

const eventFields = z.object({
  ...eventDescription,
  startsAt: z.date(),
  endsAt: z.date(),
  timeZone,
  venue: z.object({ name: optionalText, room: optionalText }).nullish(),
  format: z.enum(EventFormat),
  onlinePlatform: optionalText,
  interpretationLanguages: z.array(languageTag).optional(),
  defaultLanguage: contentLanguage.optional(),
  contentLanguages: z.array(contentLanguage).optional(),
  translations: translationList('Event').optional(),
  registrationUrl: webUrl,
  registrationRequired: z.boolean().optional(),
  registrationOpensAt: z.date().nullish(),
  registrationClosesAt: z.date().nullish(),
  zoomLinkLeadMinutes: z.number().int().min(0).optional(),
  approvalRequiredFor: z.array(z.enum(AttendanceMode)).optional(),
  approvalInstructions: optionalText,
});

// The slug stays: seed files and partner sites find the event by it.
const eventChanges = eventFields.omit({ slug: true }).partial();

// Only these move the agenda (the time zone decides its days); other details are not schedule changes.
const scheduleFields = ['startsAt', 'endsAt', 'timeZone'];

function venueColumns(venue: { name: string | null; room: string | null } | null | undefined) {
  return venue === undefined ? {} : { venueName: venue?.name ?? null, venueRoom: venue?.room ?? null };
}

/** Modes needing approval that the event's format doesn't offer, as the input names them. */
function approvalIssues(event: Pick<EventRow, 'format' | 'approvalRequiredFor'>): FieldIssue[] {
  return approvalModeIssues(event).map(({ index, message }) => ({ path: `input.approvalRequiredFor[${index}]`, message }));
}

/** What is wrong with an event's languages, as the input names them. */
function languageIssues(languages: { defaultLanguage: string; contentLanguages: string[] }): FieldIssue[] {
  return (eventLanguages.safeParse(languages).error?.issues ?? []).map((issue) => ({ path: ['input', ...issue.path].join('.').replace(/\.(\d+)/g, '[$1]'), message: issue.message }));
}

export async function createEvent(input: WriteInput): Promise<string> {
  const { venue, translations, ...data } = parseInput(eventFields, input, 'input');
  const defaultLanguage = data.defaultLanguage ?? 'en';
  const languages = { defaultLanguage, contentLanguages: data.contentLanguages ?? [defaultLanguage] };
  const { id } = await prisma.$transaction(async (tx) => {
    await lockEventSlug(tx, data.slug);
    const issues: FieldIssue[] = [...languageIssues(languages), ...approvalIssues({ format: data.format, approvalRequiredFor: data.approvalRequiredFor ?? [] })];
    if (data.endsAt <= data.startsAt) issues.push({ path: 'input.endsAt', message: 'must be after startsAt' });
    if (await tx.event.count({ where: { slug: data.slug } })) issues.push({ path: 'input.slug', message: 'is used by another event' });
    if (issues.length) throw new ValidationError(issues);
    return tx.event.create({
      data: {
        ...data,
        ...venueColumns(venue ?? null),
        ...languages,
        translations: writtenTranslations({}, translations, languages),
        interpretationLanguages: data.interpretationLanguages ?? [],
        approvalRequiredFor: data.approvalRequiredFor ?? [],
      },
    });
  }, transactionOptions);
  await contentLanguagesChanged();
  await eventsChanged();
  return id;
}

export async function updateEvent({ id, ...input }: WriteInput<'id'>): Promise<string> {
  const { venue, translations, ...rest } = parseInput(eventChanges, input, 'input');
  return writeEventContent(id.id, async (tx, event, boss) => {
    const languages = { defaultLanguage: rest.defaultLanguage ?? event.defaultLanguage, contentLanguages: rest.contentLanguages ?? event.contentLanguages };
    const problems = [...languageIssues(languages), ...approvalIssues({ format: rest.format ?? event.format, approvalRequiredFor: rest.approvalRequiredFor ?? event.approvalRequiredFor })];
    if (problems.length) throw new ValidationError(problems);
    const changes = { ...rest, ...venueColumns(venue), translations: writtenTranslations(event.translations, translations, languages) };
    const fields = changedFields(event, changes);
    if (fields.length === 0) return { result: event.id, changes: [] };
    const startsAt = changes.startsAt ?? event.startsAt;
    const endsAt = changes.endsAt ?? event.endsAt;
    if (endsAt <= startsAt) throw new ValidationError([{ path: 'input.endsAt', message: 'must be after startsAt' }]);
    // Sessions and breaks must stay within the event: they move first.
    const issues: FieldIssue[] = [];
    const startingBefore = { eventId: event.id, startsAt: { lt: startsAt } };
    const endingAfter = { eventId: event.id, endsAt: { gt: endsAt } };
    if ((await tx.session.count({ where: startingBefore })) + (await tx.break.count({ where: startingBefore }))) {
      issues.push({ path: 'input.startsAt', message: 'must not be after a session or break starts; move those first' });
    }
    if ((await tx.session.count({ where: endingAfter })) + (await tx.break.count({ where: endingAfter }))) {
      issues.push({ path: 'input.endsAt', message: 'must not be before a session or break ends; move those first' });
    }
    if (issues.length) throw new ValidationError(issues);
    const updated = await tx.event.update({ where: { id: event.id }, data: changes });
    await eventFieldsChanged(tx, event.id, fields);
    if (fields.includes('zoomLinkLeadMinutes')) await scheduleJoinLinksOfEvent(tx, boss, updated, new Date());
    const moved = fields.filter((field) => scheduleFields.includes(field));
    return {
      result: event.id,
      changes: moved.length ? [{ kind: 'CHANGED' as const, title: updated.title, fields: moved }] : [],
      languagesChanged: fields.some((field) => languageFields.includes(field)),
    };
  });
}

/** Deletes an event with everything in it, unless someone is registered for one of its sessions; it was part of no event (null). */
export async function deleteEvent(id: string): Promise<null> {
  await prisma.$transaction(async (tx) => {
    await lockEvent(tx, id);
    // Sessions locked as registrations lock them before taking a seat: none can slip in before the delete.
    await lockSessions(tx, (await tx.session.findMany({ where: { eventId: id }, select: { id: true } })).map((session) => session.id));
    const registered = await tx.sessionRegistration.count({ where: { session: { eventId: id }, status: { not: 'CANCELLED' } } });
    if (registered > 0) throw new ConflictError(`The event has ${registered} session registrations; cancel them before deleting it.`);
    await tx.event.delete({ where: { id } });
  }, transactionOptions);
  await contentLanguagesChanged();
  await eventsChanged();
  return null;
}

const VenueInput = builder.inputType('VenueInput', {
  fields: (t) => ({ name: t.string(), room: t.string() }),
});

entityWrites(Event, {
  translations: eventTranslations,
  updating: 'A change of time or time zone is published as a schedule change.',
  createOnly: (t) => ({ slug: t.string({ required: true, description: 'Lowercase words joined by hyphens, unique; it can\'t be changed later.' }) }),
  fields: (t, creating) => ({
    title: t.string({ required: creating }),
    organizer: t.string({ required: creating }),
    status: t.field({ type: EventStatusEnum, required: creating }),
    summary: t.string(),
    background: t.string(),
    mandate: t.string(),
    startsAt: t.field({ type: 'DateTime', required: creating }),
    endsAt: t.field({ type: 'DateTime', required: creating }),
    timeZone: t.string({ required: creating, description: 'IANA time zone of the venue, for example Europe/Zurich.' }),
    venue: t.field({ type: VenueInput, description: 'Its name and room; an update replaces both.' }),
    format: t.field({ type: EventFormatEnum, required: creating }),
    onlinePlatform: t.string(),
    interpretationLanguages: t.stringList({ description: 'BCP 47 language tags, for example ["en", "es", "fr"].' }),
    defaultLanguage: t.string({
      description: creating
        ? 'The language of the text in the event\'s fields and its content\'s (BCP 47 as written canonically, for example `en`); `en` when left out.'
        : 'Says the event\'s fields are in this language now: change their text with it.',
    }),
    contentLanguages: t.stringList({
      description: creating
        ? 'The languages its content is offered in, including the default, for example ["en", "es", "fr"]; the default alone when left out.'
        : 'Adding a language needs nothing else: translations in it can follow.',
    }),
    registrationUrl: t.string(),
    registrationRequired: t.boolean(),
    registrationOpensAt: t.field({ type: 'DateTime' }),
    registrationClosesAt: t.field({ type: 'DateTime' }),
    zoomLinkLeadMinutes: t.int({ description: 'How long before a session its join link is shown to confirmed remote participants (1440 when left out).' }),
    approvalRequiredFor: t.field({
      type: [AttendanceModeEnum],
      description: 'The ways of attending whose registrations wait for approval (REVIEW_REGISTRATIONS); only modes the event\'s format offers. None when left out.',
    }),
    approvalInstructions: t.string({ description: 'What an approved registrant does next, for example how to collect a grounds pass; the approval mail gives it.' }),
  }),
  create: { refusals: [ValidationError], description: 'Creates an event with no sessions yet; it is published as it is, without a schedule change.', write: createEvent },
  update: { write: updateEvent },
  delete: {
    refusals: [NotFoundError, ConflictError],
    description: 'Deletes an event with its sessions, breaks, panelists and documents; refused while anyone is registered for a session.',
    write: deleteEvent,
  },
});

