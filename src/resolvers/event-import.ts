import { prisma } from '../db/client.js';
import { contentLanguagesChanged } from '../rules/content-languages.js';
import { lockSessions, lockUntilCommit } from '../db/locks.js';
import type { JobQueue } from '../db/jobs.js';
import { mailJobs, scheduleJoinLinks, scheduleJoinLinksOfEvent } from '../mail/outbox.js';
import { joinLinkFields, joinLinkRoundAt } from '../rules/join-links.js';
import { seatLimitsChanged } from './registration/seating.js';
import { announceAgendaChange, eventFieldsChanged, partChangeFields, recordScheduleChanges } from './schedule.js';
import { ConflictError, ValidationError } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';
import { changedFields } from '../rules/changed-fields.js';
import { parseEventImport, type ParsedImport } from '../rules/event-file.js';
import { withTranslationsColumn } from '../rules/translation-input.js';

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
