import { z } from 'zod';
import { AttendanceMode, DocumentKind, DocumentStatus, EventFormat, EventStatus, MechanismTypeCode, PanelistRole, SessionFormat } from '../generated/prisma/client.js';
import { contentLanguage, duplicates, instant, languageTag, optionalText, parseInput, seats, slug, text, timeZone, webUrl } from './input-fields.js';
import { approvalModeIssues } from './registration-approval.js';
import { inDefaultLanguage, translationLanguageIssues, translationsInput } from './translation-input.js';

// The shape of a seed file, and of `importEvent`'s input: one event with everything in it, plus
// the mechanism types it refers to.

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

/** What an event says of itself, the same in an import file and in an admin's input. */
export const eventDescription = {
  slug,
  title: text,
  organizer: text,
  status: z.enum(EventStatus),
  summary: optionalText,
  background: optionalText,
  mandate: optionalText,
};

export const eventInput = z
  .object({
    ...eventDescription,
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
    approvalRequiredFor: z.array(z.enum(AttendanceMode)).default([]),
    approvalInstructions: optionalText,
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
    approvalModeIssues(event).forEach(({ index, message }) => issue(['approvalRequiredFor', index], message));
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

export type ParsedImport = z.output<typeof eventImportInput>;

export function parseEventImport(input: unknown): ParsedImport {
  return parseInput(eventImportInput, input);
}
