import { z } from 'zod';
import { prisma } from '../db/client.js';
import { contentLanguagesChanged } from '../rules/content-languages.js';
import { lockSessions, lockUntilCommit } from '../db/locks.js';
import type { JobQueue } from '../db/jobs.js';
import { mailJobs, scheduleJoinLinks, scheduleJoinLinksOfEvent } from '../mail/outbox.js';
import { joinLinkFields, joinLinkRoundAt } from '../rules/join-links.js';
import { seatLimitsChanged } from './registration/seating.js';
import { announceAgendaChange, eventFieldsChanged, partChangeFields, recordScheduleChanges } from './schedule.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { ContentLanguages, TranslatableType } from '../rules/translation.js';
import {
  DocumentKind,
  DocumentStatus,
  EventFormat,
  EventStatus,
  MechanismTypeCode,
  PanelistRole,
  SessionFormat,
  Prisma,
} from '../generated/prisma/client.js';

/**
 * The shape of a seed file, and of `importEvent`'s input: one event with everything in it, plus
 * the mechanism types it refers to. Instants carry their UTC offset so a file reads unambiguously.
 */
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
export const text = z.string().trim().min(1);
export const optionalText = text.nullish().transform((value) => value ?? null);
export const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens');
export const timeZone = text.refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}, 'is not an IANA time zone (for example Europe/Zurich)');
export const languageTag = text.refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, 'is not a BCP 47 language tag (for example en, es, fr)');

/**
 * A language of an event's content, as BCP 47 writes it canonically (`fr`, `pt-BR`): languages
 * are compared as they are written, so `FR` is refused rather than kept beside `fr`.
 */
export const contentLanguage = z.string().refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag)[0] === tag;
  } catch {
    return false;
  }
}, 'is not a BCP 47 language tag as written canonically (for example fr, es, pt-BR)');

export const seats = z.number().int().min(0).nullish().transform((value) => value ?? null);
const httpUrl = z.url({ protocol: /^https?$/ });
export const webUrl = httpUrl.nullish().transform((value) => value ?? null);

/** The fields each kind of row has in other languages (src/translation.ts names them), each checked as the row's own is. */
const translationShapes = {
  Event: { title: text, summary: text, background: text, mandate: text },
  Session: { title: text, description: text },
  Part: { title: text, description: text },
  Break: { title: text },
  MechanismType: { name: text, description: text, examples: z.array(text) },
  Panelist: { affiliation: text, bio: text },
  Document: { title: text, url: httpUrl },
} satisfies Record<TranslatableType, z.ZodRawShape>;

/** Text per language then field: strings, and lists of them (examples). */
export type StoredTranslations = Record<string, Record<string, string | string[]>>;

/**
 * A row's text in other languages as stored and imported: `{ "fr": { "title": "…" } }`. Which
 * languages are allowed depends on the event (`translationLanguageIssues`).
 */
function translationsOf(type: TranslatableType) {
  return z.record(contentLanguage, z.object(translationShapes[type]).partial().strict()) as unknown as z.ZodType<StoredTranslations>;
}

export const translationsInput = Object.fromEntries(Object.keys(translationShapes).map((type) => [type, translationsOf(type as TranslatableType)])) as Record<TranslatableType, z.ZodType<StoredTranslations>>;

/**
 * Translations as the admin mutations take them: a list of `{ language, …fields }`, each language
 * once; a field null or left out has no text in that language, and a language with none is removed
 * (see `mergeTranslations`).
 */
export function translationList(type: TranslatableType): z.ZodType<StoredTranslations> {
  const fields = Object.fromEntries(Object.entries(translationShapes[type]).map(([field, schema]) => [field, (schema as z.ZodType).nullish()]));
  return z
    .array(z.object({ language: contentLanguage, ...fields }).strict())
    .superRefine((list, ctx) =>
      duplicates(list.map((entry) => entry.language)).forEach((index) => ctx.addIssue({ code: 'custom', path: [index, 'language'], message: 'is listed twice' })),
    )
    .transform((list) =>
      Object.fromEntries(list.map(({ language, ...given }) => [language, Object.fromEntries(Object.entries(given).filter(([, value]) => value != null))])),
    ) as unknown as z.ZodType<StoredTranslations>;
}

/** A row's `translations` as written: none is NULL, which Prisma reads without parsing a JSON value per row (an agenda reads hundreds). */
export type TranslationsColumn = StoredTranslations | typeof Prisma.DbNull;

export function translationsColumn(translations: StoredTranslations): TranslationsColumn {
  return Object.keys(translations).length ? translations : Prisma.DbNull;
}

/** `data` as written: its translations, if it has any field of that name, as the column keeps them. */
function withTranslationsColumn<Data extends object>(data: Data): Data {
  if (!('translations' in data)) return data;
  return { ...data, translations: translationsColumn((data.translations ?? {}) as StoredTranslations) };
}

/**
 * The translations an admin write gives a row, checked against its event's languages, merged into
 * what the row has (`current`); undefined when the write gives none.
 */
export function writtenTranslations(current: unknown, given: StoredTranslations | undefined, languages: ContentLanguages): TranslationsColumn | undefined {
  if (!given) return undefined;
  const issues = translationLanguageIssues(given, languages).map(({ language, message }) => ({ path: 'input.translations', message: `${language} ${message}` }));
  if (issues.length) throw new ValidationError(issues);
  return translationsColumn(mergeTranslations(current, given));
}

/** `current` with each language of `changes` replaced by what it gives, and removed where it gives nothing. */
export function mergeTranslations(current: unknown, changes: StoredTranslations): StoredTranslations {
  const merged: StoredTranslations = { ...((current && typeof current === 'object' ? current : {}) as StoredTranslations) };
  for (const [language, fields] of Object.entries(changes)) {
    if (Object.keys(fields).length) merged[language] = fields;
    else delete merged[language];
  }
  return merged;
}

const inDefaultLanguage = 'is the default language: its text goes in the fields themselves';

/** What is wrong with the languages of a row's translations: each must be one the event offers, other than the default. */
export function translationLanguageIssues(translations: object | undefined, languages: ContentLanguages): { language: string; message: string }[] {
  return Object.keys(translations ?? {}).flatMap((language) =>
    language === languages.defaultLanguage
      ? [{ language, message: inDefaultLanguage }]
      : languages.contentLanguages.includes(language)
        ? []
        : [{ language, message: `is not one of the event's contentLanguages (${languages.contentLanguages.join(', ')}); add it there first` }],
  );
}

/** An event's default language and the languages its content is offered in, which include it. */
export const eventLanguages = z
  .object({ defaultLanguage: contentLanguage, contentLanguages: z.array(contentLanguage).min(1) })
  .superRefine((languages, ctx) => {
    if (!languages.contentLanguages.includes(languages.defaultLanguage)) ctx.addIssue({ code: 'custom', path: ['contentLanguages'], message: `must include defaultLanguage (${languages.defaultLanguage})` });
    duplicates(languages.contentLanguages).forEach((index) => ctx.addIssue({ code: 'custom', path: ['contentLanguages', index], message: 'is listed twice' }));
  });
const panelistRole = z.object({ panelist: text, role: z.enum(PanelistRole) });

const interval = { startsAt: instant, endsAt: instant };

interface Interval {
  startsAt: Date;
  endsAt: Date;
}

/** What is wrong with an item's times, if anything: it must end after it starts, within its event. */
export function intervalIssue(item: Interval, event: Interval): { field: 'startsAt' | 'endsAt'; message: string } | null {
  if (item.endsAt <= item.startsAt) return { field: 'endsAt', message: 'must be after startsAt' };
  if (item.startsAt < event.startsAt || item.endsAt > event.endsAt) return { field: 'startsAt', message: 'must lie within the event (startsAt to endsAt)' };
  return null;
}

export const mechanismTypeInput = z.object({
  code: z.enum(MechanismTypeCode),
  name: text,
  description: optionalText,
  examples: z.array(text).default([]),
  defaultLanguage: contentLanguage.default('en'),
  translations: translationsInput.MechanismType.default({}),
});

/** A mechanism type's translations may be in any language but its default: it serves every event. */
export function mechanismTypeLanguageIssues(type: { defaultLanguage: string; translations: object }): { language: string; message: string }[] {
  return Object.hasOwn(type.translations, type.defaultLanguage)
    ? [{ language: type.defaultLanguage, message: inDefaultLanguage }]
    : [];
}

export const eventInput = z
  .object({
    slug,
    title: text,
    organizer: text,
    status: z.enum(EventStatus),
    summary: optionalText,
    background: optionalText,
    mandate: optionalText,
    ...interval,
    timeZone,
    venue: z.object({ name: optionalText, room: optionalText }).nullish(),
    format: z.enum(EventFormat),
    onlinePlatform: optionalText,
    interpretationLanguages: z.array(languageTag).default([]),
    defaultLanguage: contentLanguage.default('en'),
    /** The default alone when left out. */
    contentLanguages: z.array(contentLanguage).optional(),
    translations: translationsInput.Event.default({}),
    registrationUrl: webUrl,
    registrationRequired: z.boolean().default(false),
    registrationOpensAt: instant.nullish().transform((value) => value ?? null),
    registrationClosesAt: instant.nullish().transform((value) => value ?? null),
    zoomLinkLeadMinutes: z.number().int().min(0).default(1440),
    sessions: z
      .array(
        z.object({
          number: z.number().int().positive(),
          title: text,
          description: optionalText,
          ...interval,
          format: z.enum(SessionFormat).nullish().transform((value) => value ?? null),
          mechanismType: z.enum(MechanismTypeCode).nullish().transform((value) => value ?? null),
          roomSeats: seats,
          remoteSeats: seats,
          zoomJoinUrl: webUrl,
          translations: translationsInput.Session.default({}),
          parts: z
            .array(
              z.object({
                position: z.number().int().positive(),
                title: optionalText,
                description: optionalText,
                translations: translationsInput.Part.default({}),
                panelists: z.array(panelistRole).default([]),
              }),
            )
            .default([]),
          panelists: z.array(panelistRole).default([]),
        }),
      )
      .default([]),
    breaks: z.array(z.object({ title: text, ...interval, translations: translationsInput.Break.default({}) })).default([]),
    panelists: z
      .array(z.object({ key: text, name: text, affiliation: optionalText, bio: optionalText, translations: translationsInput.Panelist.default({}) }))
      .default([]),
    documents: z
      .array(
        z.object({
          title: text,
          kind: z.enum(DocumentKind),
          status: z.enum(DocumentStatus).nullish().transform((value) => value ?? null),
          url: webUrl,
          translations: translationsInput.Document.default({}),
        }),
      )
      .default([]),
  })
  .transform(({ contentLanguages, ...event }) => ({ ...event, contentLanguages: contentLanguages ?? [event.defaultLanguage] }))
  .superRefine((event, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const checkInterval = (path: (string | number)[], item: Interval) => {
      const problem = intervalIssue(item, event);
      if (problem) issue([...path, problem.field], problem.message);
    };
    if (event.endsAt <= event.startsAt) issue(['endsAt'], 'must be after startsAt');
    const panelistKeys = new Set(event.panelists.map((panelist) => panelist.key));
    const checkRoles = (path: (string | number)[], roles: { panelist: string }[]) =>
      roles.forEach((role, index) => {
        if (!panelistKeys.has(role.panelist)) issue([...path, index, 'panelist'], `names no panelist of this event ("${role.panelist}")`);
      });
    duplicates(event.sessions.map((session) => session.number)).forEach((index) => issue(['sessions', index, 'number'], 'is used by another session'));
    duplicates(event.panelists.map((panelist) => panelist.key)).forEach((index) => issue(['panelists', index, 'key'], 'is used by another panelist'));
    duplicates(event.documents.map((document) => document.title)).forEach((index) => issue(['documents', index, 'title'], 'is used by another document'));
    duplicates(event.breaks.map((item) => item.startsAt.getTime())).forEach((index) => issue(['breaks', index, 'startsAt'], 'is used by another break'));
    event.sessions.forEach((session, index) => {
      checkInterval(['sessions', index], session);
      checkRoles(['sessions', index, 'panelists'], session.panelists);
      duplicates(session.parts.map((part) => part.position)).forEach((partIndex) =>
        issue(['sessions', index, 'parts', partIndex, 'position'], 'is used by another part'),
      );
      session.parts.forEach((part, partIndex) => checkRoles(['sessions', index, 'parts', partIndex, 'panelists'], part.panelists));
    });
    event.breaks.forEach((item, index) => checkInterval(['breaks', index], item));
    const languages = eventLanguages.safeParse(event);
    for (const problem of languages.error?.issues ?? []) issue(problem.path as (string | number)[], problem.message);
    const checkLanguages = (path: (string | number)[], translations: object) =>
      translationLanguageIssues(translations, event).forEach(({ language, message }) => issue([...path, 'translations', language], message));
    checkLanguages([], event.translations);
    event.sessions.forEach((session, index) => {
      checkLanguages(['sessions', index], session.translations);
      session.parts.forEach((part, partIndex) => checkLanguages(['sessions', index, 'parts', partIndex], part.translations));
    });
    event.breaks.forEach((item, index) => checkLanguages(['breaks', index], item.translations));
    event.panelists.forEach((panelist, index) => checkLanguages(['panelists', index], panelist.translations));
    event.documents.forEach((document, index) => checkLanguages(['documents', index], document.translations));
  });

export const eventImportInput = z
  .object({
    mechanismTypes: z.array(mechanismTypeInput).default([]),
    event: eventInput,
  })
  .superRefine(({ mechanismTypes }, ctx) =>
    mechanismTypes.forEach((type, index) =>
      mechanismTypeLanguageIssues(type).forEach(({ language, message }) => ctx.addIssue({ code: 'custom', path: ['mechanismTypes', index, 'translations', language], message })),
    ),
  );

export type EventImport = z.input<typeof eventImportInput>;
type ParsedImport = z.output<typeof eventImportInput>;

function duplicates<T>(values: T[]): number[] {
  const seen = new Set<T>();
  return values.flatMap((value, index) => (seen.has(value) ? [index] : (seen.add(value), [])));
}

/** `a.b[2].c`, the way the file's author would point at the field. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** `value` parsed by `schema`, or a ValidationError naming every bad field, under `root` when given (`input.title`). */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, root?: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((issue) => ({ path: formatPath(root ? [root, ...issue.path] : issue.path) || '(root)', message: issue.message })),
    );
  }
  return result.data;
}

export function parseEventImport(input: unknown): ParsedImport {
  return parseInput(eventImportInput, input);
}

export interface ImportSummary {
  eventId: string;
  /** The event's new revision when the import changed its schedule, else null. */
  revision: number | null;
  /** The event is new, or its languages changed. */
  languagesChanged: boolean;
  created: number;
  updated: number;
  deleted: number;
}

type Tx = Prisma.TransactionClient;
/** An event's fields that say which languages its content is in (src/content-languages.ts keeps them). */
export const languageFields = ['defaultLanguage', 'contentLanguages'];
type Counts = Omit<ImportSummary, 'eventId' | 'revision' | 'languagesChanged'>;

function sameValue(a: unknown, b: unknown): boolean {
  // Translations written as none (Prisma.DbNull) read back as null.
  if (a === Prisma.DbNull) return b === null;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  // JSON (translations): the same keys with the same values, in any order.
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

/** The fields `data` would change in `row`; undefined ones are left as they are, so they change nothing. */
export function changedFields(row: object, data: object): string[] {
  return Object.entries(data).flatMap(([field, value]) =>
    value === undefined || sameValue(value, (row as Record<string, unknown>)[field]) ? [] : [field],
  );
}

interface RowChange<Row, Data> {
  kind: 'ADDED' | 'CHANGED' | 'REMOVED';
  id: string;
  item: Row | Data;
  fields: string[];
}

/**
 * Makes the rows in `existing` match `wanted`, matching them by key, writing only what differs:
 * that is what makes a second import of the same file change nothing. Returns the ids of the
 * wanted rows, in order, and what changed.
 */
async function sync<Row extends { id: string }, Data extends object>(
  counts: Counts,
  existing: Row[],
  wanted: Data[],
  key: (item: Row | Data) => string | number,
  write: { create: (data: Data) => Promise<{ id: string }>; update: (id: string, data: Data) => Promise<unknown>; remove: (ids: string[]) => Promise<unknown> },
): Promise<{ ids: string[]; changes: RowChange<Row, Data>[] }> {
  const byKey = new Map(existing.map((row) => [key(row), row]));
  const ids: string[] = [];
  const changes: RowChange<Row, Data>[] = [];
  for (const given of wanted) {
    const data = withTranslationsColumn(given);
    const row = byKey.get(key(data));
    byKey.delete(key(data));
    if (!row) {
      const { id } = await write.create(data);
      ids.push(id);
      changes.push({ kind: 'ADDED', id, item: given, fields: [] });
      counts.created += 1;
      continue;
    }
    ids.push(row.id);
    const fields = changedFields(row, data);
    if (fields.length > 0) {
      await write.update(row.id, data);
      changes.push({ kind: 'CHANGED', id: row.id, item: given, fields });
      counts.updated += 1;
    }
  }
  if (byKey.size > 0) {
    await write.remove([...byKey.values()].map((row) => row.id));
    for (const row of byKey.values()) changes.push({ kind: 'REMOVED', id: row.id, item: row, fields: [] });
    counts.deleted += byKey.size;
  }
  return { ids, changes };
}

/**
 * Takes the event `slug` names until commit: its row when there is one (as admin writes to the
 * event lock it) and the slug itself, so that two writes creating the event take turns too.
 */
export async function lockEventSlug(tx: Tx, slug: string): Promise<void> {
  await lockUntilCommit(tx, `event/${slug}`);
  await tx.$queryRaw`SELECT id FROM "Event" WHERE slug = ${slug} FOR UPDATE`;
}

/** Inside an import's transaction: it must queue mail, but the job queue was not started before it. */
class JobQueueNeeded extends Error {}

/**
 * Upserts a whole event in one transaction: all of it or nothing. The file is the truth for the
 * event: sessions, parts, breaks, panelists and documents it no longer lists are removed, unless
 * someone registered for a session, which is refused rather than silently losing registrations.
 * The mail it causes (promotions, join links, schedule notices) is queued in the same transaction.
 */
export async function importEvent(input: unknown, now = new Date()): Promise<ImportSummary> {
  const parsed = parseEventImport(input);
  // The job queue must be started before the transaction (with PGlite it would wait on the
  // transaction's own connection), and takes seconds to start: a first import of an event with no
  // join link to come, such as the seed on a first `npm start`, queues nothing and doesn't start it.
  const mayMail =
    parsed.event.sessions.some((session) => session.zoomJoinUrl && session.endsAt > now) || (await prisma.event.count({ where: { slug: parsed.event.slug } })) > 0;
  try {
    return await importParsed(parsed, mayMail ? await mailJobs() : null, now);
  } catch (error) {
    // Another import created the event meanwhile: this one is an update after all.
    if (error instanceof JobQueueNeeded) return importParsed(parsed, await mailJobs(), now);
    throw error;
  }
}

async function importParsed({ mechanismTypes, event }: ParsedImport, boss: JobQueue | null, now: Date): Promise<ImportSummary> {
  const jobs = () => {
    if (!boss) throw new JobQueueNeeded();
    return boss;
  };
  const summary = await prisma.$transaction(
    async (tx) => {
      // Runs of the same file at once take turns: the later ones find it done and change nothing.
      await lockEventSlug(tx, event.slug);
      const counts: Counts = { created: 0, updated: 0, deleted: 0 };
      await sync(counts, await tx.mechanismType.findMany({ where: { code: { in: mechanismTypes.map((m) => m.code) } } }), mechanismTypes, (m) => m.code, {
        create: (data) => tx.mechanismType.create({ data }),
        update: (id, data) => tx.mechanismType.update({ where: { id }, data }),
        remove: async () => {},
      });
      const mechanismIds = new Map(
        (await tx.mechanismType.findMany({ select: { id: true, code: true } })).map((m) => [m.code as string, m.id]),
      );
      event.sessions.forEach((session, index) => {
        if (session.mechanismType && !mechanismIds.has(session.mechanismType))
          throw new ValidationError([{ path: `event.sessions[${index}].mechanismType`, message: `no mechanism type ${session.mechanismType} exists; add it to mechanismTypes` }]);
      });

      const { sessions, breaks, panelists, documents, venue, ...fields } = event;
      const eventData = { ...fields, venueName: venue?.name ?? null, venueRoom: venue?.room ?? null };
      // The sessions, locked as registrations lock them (all at once, in id order, so the two can't
      // deadlock) before their registrations are counted: none can arrive for a session removed.
      await lockSessions(tx, (await tx.session.findMany({ where: { event: { slug: event.slug } }, select: { id: true } })).map((session) => session.id));
      const existing = await tx.event.findUnique({
        where: { slug: event.slug },
        include: {
          sessions: { include: { parts: true, panelists: true, _count: { select: { registrations: true } } } },
          breaks: true,
          panelists: true,
          documents: true,
        },
      });
      const eventSync = await sync(counts, existing ? [existing] : [], [eventData], (e) => e.slug, {
        create: (data) => tx.event.create({ data }),
        update: (id, data) => tx.event.update({ where: { id }, data }),
        remove: async () => {},
      });
      const eventId = eventSync.ids[0]!;
      const eventRef = { eventId };

      const removedWithRegistrations = existing?.sessions.filter(
        (row) => row._count.registrations > 0 && !sessions.some((session) => session.number === row.number),
      );
      if (removedWithRegistrations?.length) {
        throw new ConflictError(
          `sessions ${removedWithRegistrations.map((row) => row.number).join(', ')} have registrations and can't be removed by an import`,
        );
      }

      const { ids: panelistIds } = await sync(counts, existing?.panelists ?? [], panelists.map((p) => ({ ...eventRef, ...p })), (p) => p.key, {
        create: (data) => tx.panelist.create({ data }),
        update: (id, data) => tx.panelist.update({ where: { id }, data }),
        remove: (ids) => tx.panelist.deleteMany({ where: { id: { in: ids } } }),
      });
      const panelistIdByKey = new Map(panelists.map((p, index) => [p.key, panelistIds[index]!]));

      const breakSync = await sync(counts, existing?.breaks ?? [], breaks.map((b) => ({ ...eventRef, ...b })), (b) => b.startsAt.getTime(), {
        create: (data) => tx.break.create({ data }),
        update: (id, data) => tx.break.update({ where: { id }, data }),
        remove: (ids) => tx.break.deleteMany({ where: { id: { in: ids } } }),
      });
      await sync(counts, existing?.documents ?? [], documents.map((d, position) => ({ ...eventRef, ...d, position })), (d) => d.title, {
        create: (data) => tx.document.create({ data }),
        update: (id, data) => tx.document.update({ where: { id }, data }),
        remove: (ids) => tx.document.deleteMany({ where: { id: { in: ids } } }),
      });

      const existingSessions = existing?.sessions ?? [];
      const sessionSync = await sync(
        counts,
        existingSessions,
        sessions.map(({ parts, panelists: roles, mechanismType, ...session }) => ({
          ...eventRef,
          ...session,
          mechanismTypeId: mechanismType ? mechanismIds.get(mechanismType)! : null,
        })),
        (s) => s.number,
        {
          create: (data) => tx.session.create({ data }),
          update: async (id, data) => {
            const updated = await tx.session.update({ where: { id }, data });
            // More seats go to the first ones waiting, as `updateSession` gives them.
            await seatLimitsChanged(tx, jobs(), existingSessions.find((row) => row.id === id)!, { ...updated, zoomLinkLeadMinutes: event.zoomLinkLeadMinutes }, now);
          },
          remove: (ids) => tx.session.deleteMany({ where: { id: { in: ids } } }),
        },
      );

      // Parts and roles belong to their session's entry in the schedule's change list.
      const nestedChanges = new Map<string, string[]>();
      for (const [index, session] of sessions.entries()) {
        const sessionId = sessionSync.ids[index]!;
        const row = existingSessions.find((s) => s.id === sessionId);
        const partSync = await sync(counts, row?.parts ?? [], session.parts.map(({ panelists: _, ...part }) => ({ sessionId, ...part })), (p) => p.position, {
          create: (data) => tx.part.create({ data }),
          update: (id, data) => tx.part.update({ where: { id }, data }),
          remove: (ids) => tx.part.deleteMany({ where: { id: { in: ids } } }),
        });
        const roles = [
          ...session.panelists.map((role, position) => ({ ...role, partId: null, position })),
          ...session.parts.flatMap((part, partIndex) => part.panelists.map((role, position) => ({ ...role, partId: partSync.ids[partIndex]!, position }))),
        ].map(({ panelist, ...role }) => ({ sessionId, panelistId: panelistIdByKey.get(panelist)!, ...role }));
        const roleSync = await sync(counts, row?.panelists ?? [], roles, (r) => `${r.partId}|${r.panelistId}|${r.role}`, {
          create: (data) => tx.sessionPanelist.create({ data }),
          update: (id, data) => tx.sessionPanelist.update({ where: { id }, data }),
          remove: (ids) => tx.sessionPanelist.deleteMany({ where: { id: { in: ids } } }),
        });
        const nested = [...partChangeFields(partSync.changes), ...(roleSync.changes.length ? ['panelists'] : [])];
        if (nested.length) nestedChanges.set(sessionId, nested);
      }

      // A new event is published as it is; later imports publish what moved, as a new revision.
      let revision: number | null = null;
      if (existing) {
        const sessionChanges = sessionSync.changes.map(({ kind, id, item, fields }) => ({
          kind,
          sessionId: kind === 'REMOVED' ? null : id,
          sessionNumber: item.number,
          title: item.title,
          fields: [...fields, ...(nestedChanges.get(id) ?? [])],
        }));
        for (const [sessionId, fields] of nestedChanges) {
          if (!sessionChanges.some((change) => change.sessionId === sessionId)) {
            const session = sessions[sessionSync.ids.indexOf(sessionId)]!;
            sessionChanges.push({ kind: 'CHANGED', sessionId, sessionNumber: session.number, title: session.title, fields });
          }
        }
        await eventFieldsChanged(tx, eventId, eventSync.changes.flatMap((change) => change.fields));
        revision = await recordScheduleChanges(tx, jobs(), eventId, [
          ...eventSync.changes.map(({ kind, fields }) => ({ kind, title: event.title, fields })),
          ...breakSync.changes.map(({ kind, item, fields }) => ({ kind, title: item.title, fields })),
          ...sessionChanges,
        ]);
      }

      // Join links: released at a new time when the lead time changed, else for sessions added, moved or given another link.
      if (eventSync.changes.some((change) => change.fields.includes('zoomLinkLeadMinutes'))) {
        await scheduleJoinLinksOfEvent(tx, jobs(), { id: eventId, zoomLinkLeadMinutes: event.zoomLinkLeadMinutes }, now);
      } else {
        const linked = sessionSync.changes.flatMap(({ kind, id, item, fields }) =>
          kind !== 'REMOVED' && (kind === 'ADDED' || fields.some((field) => joinLinkFields.includes(field))) && 'zoomJoinUrl' in item
            ? [{ id, startsAt: item.startsAt, endsAt: item.endsAt, zoomJoinUrl: item.zoomJoinUrl, zoomLinkLeadMinutes: event.zoomLinkLeadMinutes }]
            : [],
        );
        const due = linked.filter((session) => joinLinkRoundAt(session, session.zoomLinkLeadMinutes, now));
        if (due.length > 0) await scheduleJoinLinks(tx, jobs(), due, now);
      }
      const languagesChanged = eventSync.changes.some((change) => change.kind === 'ADDED' || change.fields.some((field) => languageFields.includes(field)));
      return { eventId, revision, languagesChanged, ...counts };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  if (summary.languagesChanged) await contentLanguagesChanged();
  if (summary.created + summary.updated + summary.deleted > 0) await announceAgendaChange(event.slug, summary.revision);
  return summary;
}
