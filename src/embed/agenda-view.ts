/*
 * The agenda as HTML, for the widget (src/embed/agenda-widget.ts, in the browser) and for the
 * iframe page (src/http/embed.ts, on the server): labels, time formatting and markup, once.
 * Browser-safe: no imports but types, nothing but standard JavaScript and Intl.
 */
import type { MechanismTypeCode, WidgetAgendaQuery } from '../client/operations.js';

export type AgendaEvent = NonNullable<WidgetAgendaQuery['event']>;
type AgendaItem = AgendaEvent['agenda'][number]['items'][number];
type AgendaPart = NonNullable<AgendaItem['session']>['parts'][number];

export const languages = ['en', 'es', 'fr'] as const;
export type Language = (typeof languages)[number];

interface Labels {
  agenda: string;
  session: (number: number) => string;
  part: (position: number) => string;
  /** Between a label and what it introduces. */
  colon: string;
  mechanismType: (name: string) => string;
  mechanismTypes: Record<MechanismTypeCode, string>;
  timesIn: (zone: string) => string;
  showTimesIn: string;
  eventTime: string;
  myTime: string;
  loading: string;
  failed: string;
  notFound: string;
  nothingScheduled: string;
  updated: string;
}

export const labels: Record<Language, Labels> = {
  en: {
    agenda: 'Agenda',
    session: (number) => `Session ${number}`,
    part: (position) => `Part ${position}`,
    colon: ': ',
    mechanismType: (name) => `Mechanism type: ${name}`,
    mechanismTypes: {
      JUDICIAL: 'Judicial mechanisms',
      STATE_BASED_NON_JUDICIAL: 'State-based non-judicial mechanisms',
      NON_STATE_BASED: 'Non-State-based grievance mechanisms',
    },
    timesIn: (zone) => `Times in ${zone}`,
    showTimesIn: 'Show times in',
    eventTime: 'Event time',
    myTime: 'My time',
    loading: 'Loading the agenda…',
    failed: 'The agenda could not be loaded.',
    notFound: 'There is no event at this address.',
    nothingScheduled: 'Nothing is scheduled.',
    updated: 'The agenda was updated.',
  },
  es: {
    agenda: 'Agenda',
    session: (number) => `Sesión ${number}`,
    part: (position) => `Parte ${position}`,
    colon: ': ',
    mechanismType: (name) => `Tipo de mecanismo: ${name}`,
    mechanismTypes: {
      JUDICIAL: 'Mecanismos judiciales',
      STATE_BASED_NON_JUDICIAL: 'Mecanismos estatales no judiciales',
      NON_STATE_BASED: 'Mecanismos de reclamación no estatales',
    },
    timesIn: (zone) => `Zona horaria: ${zone}`,
    showTimesIn: 'Mostrar las horas en',
    eventTime: 'Hora del evento',
    myTime: 'Mi hora',
    loading: 'Cargando la agenda…',
    failed: 'No se pudo cargar la agenda.',
    notFound: 'No hay ningún evento en esta dirección.',
    nothingScheduled: 'No hay nada programado.',
    updated: 'La agenda se ha actualizado.',
  },
  fr: {
    agenda: 'Programme',
    session: (number) => `Séance ${number}`,
    part: (position) => `Partie ${position}`,
    colon: '\u202f: ',
    mechanismType: (name) => `Type de mécanisme\u202f: ${name}`,
    mechanismTypes: {
      JUDICIAL: 'Mécanismes judiciaires',
      STATE_BASED_NON_JUDICIAL: 'Mécanismes non judiciaires relevant de l’État',
      NON_STATE_BASED: 'Mécanismes de réclamation ne relevant pas de l’État',
    },
    timesIn: (zone) => `Fuseau horaire\u202f: ${zone}`,
    showTimesIn: 'Afficher les heures en',
    eventTime: 'Heure de l’événement',
    myTime: 'Mon heure',
    loading: 'Chargement du programme…',
    failed: 'Le programme n’a pas pu être chargé.',
    notFound: 'Aucun événement à cette adresse.',
    nothingScheduled: 'Rien n’est prévu.',
    updated: 'Le programme a été mis à jour.',
  },
};

/** `es-MX` reads as `es`; a language without labels as English. */
export function languageOf(tag: string): Language {
  const base = tag.toLowerCase().split('-')[0];
  return languages.find((language) => language === base) ?? 'en';
}

/** `event`: the event's zone; `local`: the viewer's; otherwise an IANA zone. */
export type ZoneChoice = string;

export interface AgendaOptions {
  /** The labels' language. */
  lang: Language;
  /** The language the event's content is asked in: `lang` as written (BCP 47), which the labels may not have. */
  contentLang: string;
  day: string | null;
  mechanismType: MechanismTypeCode | null;
  timeZone: ZoneChoice;
}

/** A real YYYY-MM-DD date: not 2021-02-31. */
function isDate(text: string): boolean {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(text) : NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

/**
 * A zone's canonical name (`asia/tokyo` is `Asia/Tokyo`), or null for what is not a zone. Zones
 * key the formatters kept below: spellings of one zone must not each add one.
 */
function canonicalZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A BCP 47 tag as written canonically (`pt-BR`), or null for what is not one. */
function languageTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The widget's attributes or the page's query parameters, which have the same names; `problems`
 * says what is wrong with them, for the partner who wrote them.
 */
export function readOptions(read: (name: string) => string | null, pageLanguage: string): { options: AgendaOptions; problems: string[] } {
  const problems: string[] = [];
  const given = read('lang');
  const contentLang = languageTag(given || pageLanguage) ?? 'en';
  if (given && !languageTag(given)) problems.push('lang must be a language tag, for example fr or es.');
  const day = read('day') || null;
  if (day !== null && !isDate(day)) problems.push('day must be a date as YYYY-MM-DD, for example 2021-09-23.');
  const mechanismType = read('mechanism-type') || null;
  const codes = Object.keys(labels.en.mechanismTypes);
  if (mechanismType !== null && !codes.includes(mechanismType)) problems.push(`mechanism-type must be one of ${codes.join(', ')}.`);
  const zone = read('time-zone') || 'event';
  const timeZone = zone === 'event' || zone === 'local' ? zone : canonicalZone(zone);
  if (!timeZone) problems.push('time-zone must be event, local or an IANA time zone, for example Europe/Zurich.');
  const options = { lang: languageOf(contentLang), contentLang, day, mechanismType: mechanismType as MechanismTypeCode | null, timeZone: timeZone ?? 'event' };
  return { options, problems };
}

export function resolveZone(choice: ZoneChoice, eventZone: string, localZone: string): string {
  return choice === 'event' ? eventZone : choice === 'local' ? localZone : choice;
}

/** A GET of a trusted operation (src/http/trusted-documents.ts): only its hash travels, and the answer can be cached. */
export function operationUrl(endpoint: URL, operationName: string, sha256Hash: string, variables: Record<string, unknown>): URL {
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    operationName,
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash } }),
  }).toString();
  return url;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

// Building a formatter costs far more than using one: keep each. Locales are our three languages
// and zones canonical names (`canonicalZone`), so there are only so many.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** `America/New York`: the IANA zone, readable. */
export function zonePlace(timeZone: string): string {
  return timeZone.replaceAll('_', ' ');
}

/** The zone with its name on `at`: `America/New York (Eastern Daylight Time)`. */
export function zoneName(timeZone: string, lang: Language, at: Date): string {
  const long = formatter(lang, { timeZone, timeZoneName: 'long' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
  return long && long !== timeZone ? `${zonePlace(timeZone)} (${long})` : zonePlace(timeZone);
}

// Dates in words: the full date and the time as a clock in the zone reads it, with the zone named.
const inWords = (timeZone: string): Intl.DateTimeFormatOptions => ({ timeZone, dateStyle: 'full', timeStyle: 'short', hourCycle: 'h23' });

/** `Thursday, September 23, 2021 at 09:50, Europe/Zurich (Central European Summer Time)`. */
export function momentInWords(at: Date, timeZone: string, lang: Language): string {
  return `${formatter(lang, inWords(timeZone)).format(at)}, ${zoneName(timeZone, lang, at)}`;
}

/**
 * `Thursday, September 23, 2021, 10:00 – 12:00, Europe/Zurich (…)`; a period that ends on another
 * day gives that day in full too (`lundi 20 septembre 2021 à 22:00 – mardi 21 septembre 2021 à 00:00`).
 */
export function periodInWords({ startsAt, endsAt }: { startsAt: Date; endsAt: Date }, timeZone: string, lang: Language): string {
  const format = formatter(lang, inWords(timeZone));
  // Spelt out rather than left to formatRange, whose shortened end varies with ICU versions.
  const range = dayIn(timeZone, startsAt) === dayIn(timeZone, endsAt) ? format.formatRange(startsAt, endsAt) : `${format.format(startsAt)} – ${format.format(endsAt)}`;
  return `${range}, ${zoneName(timeZone, lang, startsAt)}`;
}

/** The date in the zone as YYYY-MM-DD (en-CA writes dates so). */
function dayIn(timeZone: string, at: Date): string {
  return formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function timeHtml(instant: string, lang: Language, timeZone: string, withDay: boolean): string {
  const text = formatter(lang, { timeZone, weekday: withDay ? 'short' : undefined, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
  return `<time datetime="${escapeHtml(instant)}">${escapeHtml(text)}</time>`;
}

/**
 * A time range that reads left to right whatever the page's direction: "10:00–12:00", never
 * "12:00–10:00". A time on another date than its agenda day (in another zone, or after midnight)
 * names its day, and a range that ends on another day than it starts names both: "lun. 22:00 – mar. 00:00".
 */
function rangeHtml(startsAt: string, endsAt: string, day: string, lang: Language, timeZone: string): string {
  const [startDay, endDay] = [dayIn(timeZone, new Date(startsAt)), dayIn(timeZone, new Date(endsAt))];
  const crosses = startDay !== endDay;
  return `<p class="when" dir="ltr">${timeHtml(startsAt, lang, timeZone, crosses || startDay !== day)}${crosses ? ' – ' : '–'}${timeHtml(endsAt, lang, timeZone, endDay !== day)}</p>`;
}

/**
 * Text from the event, marked with the language it is in (a missing translation shows the
 * default language's text) and its own direction: it may be right-to-left, the labels around it
 * keep the widget's.
 */
function contentHtml(text: string, language: string | null): string {
  return `<span dir="auto"${language ? ` lang="${escapeHtml(language)}"` : ''}>${escapeHtml(text)}</span>`;
}

/**
 * "Part 1: …" with the part's title or, where it has none, its description: the concept note
 * describes some parts without naming them.
 */
function partHtml(t: Labels, part: AgendaPart): string {
  const [text, language] = part.title ? [part.title, part.titleLanguage] : [part.description, part.descriptionLanguage];
  return escapeHtml(t.part(part.position)) + (text ? `${escapeHtml(t.colon)}${contentHtml(text, language)}` : '');
}

export interface ViewOptions extends AgendaOptions {
  /** The zone times are shown in (an IANA zone). */
  zone: string;
  /** The heading level of the event's title; days and sessions take the next two. */
  level: 1 | 2;
}

/** The event's title and the zone its times are shown in. */
export function renderHeader(event: AgendaEvent, options: ViewOptions): string {
  const zone = zoneName(options.zone, options.lang, new Date(event.startsAt));
  return `<h${options.level} class="title" dir="auto" lang="${escapeHtml(event.titleLanguage)}">${escapeHtml(event.title)}</h${options.level}><p class="zone">${escapeHtml(labels[options.lang].timesIn(zone))}</p>`;
}

/** One section per day, its sessions and breaks in a list; only sessions of `mechanismType` when set. */
export function renderDays(event: AgendaEvent, options: ViewOptions): string {
  const { lang, zone, mechanismType, level } = options;
  const t = labels[lang];
  const days = event.agenda
    .map((day) => ({ date: day.date, items: day.items.filter((item) => !mechanismType || item.session?.mechanismType?.code === mechanismType) }))
    .filter((day) => day.items.length > 0);
  if (days.length === 0) return `<p class="note">${escapeHtml(t.nothingScheduled)}</p>`;
  const dayTitle = (date: string) => formatter(lang, { timeZone: 'UTC', dateStyle: 'full' }).format(new Date(`${date}T00:00:00Z`));
  const item = (date: string, { kind, title, titleLanguage, startsAt, endsAt, session }: AgendaItem) => {
    const when = rangeHtml(startsAt, endsAt, date, lang, zone);
    if (kind === 'BREAK' || !session) return `<li class="item break">${when}<p class="what">${contentHtml(title, titleLanguage)}</p></li>`;
    const mechanism = session.mechanismType
      ? `<p class="mechanism">${escapeHtml(t.mechanismType(t.mechanismTypes[session.mechanismType.code]))}</p>`
      : '';
    const parts = session.parts.length
      ? `<ol class="parts">${session.parts.map((part) => `<li>${partHtml(t, part)}</li>`).join('')}</ol>`
      : '';
    const heading = `<h${level + 2} class="session-title"><span class="number">${escapeHtml(t.session(session.number))}</span> ${contentHtml(title, titleLanguage)}</h${level + 2}>`;
    return `<li class="item session">${when}<div class="what">${heading}${mechanism}${parts}</div></li>`;
  };
  return days
    .map(
      ({ date, items }) =>
        `<section class="day" aria-labelledby="day-${date}"><h${level + 1} class="day-title" id="day-${date}"><time datetime="${date}">${escapeHtml(dayTitle(date))}</time></h${level + 1}>` +
        `<ol class="items">${items.map((entry) => item(date, entry)).join('')}</ol></section>`,
    )
    .join('');
}

/**
 * The look, themable from outside through custom properties (they cross the widget's Shadow
 * DOM). The defaults meet WCAG AA contrast.
 */
export const styles = `
.agenda {
  --accent: var(--event-agenda-accent, #0b57a4);
  --text: var(--event-agenda-text, #1c1c1c);
  --muted: var(--event-agenda-muted, #4d4d4d);
  --background: var(--event-agenda-background, #fff);
  font: 1rem/1.5 var(--event-agenda-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  color: var(--text);
  background: var(--background);
  padding: 1rem;
}
.title { font-size: 1.375rem; line-height: 1.25; margin: 0 0 .25rem; }
.zone, .note { margin: 0 0 .75rem; color: var(--muted); }
.zones { display: flex; flex-wrap: wrap; gap: .5rem; border: 0; margin: 0 0 1rem; padding: 0; }
.zones legend { padding: 0; margin-bottom: .375rem; font-weight: 600; }
.zones label { position: relative; padding: .25rem .875rem; border: 2px solid var(--accent); border-radius: 999px; cursor: pointer; }
.zones label:has(:checked) { background: var(--accent); color: var(--background); }
.zones label:has(:focus-visible) { outline: 3px solid var(--text); outline-offset: 2px; }
.zones input { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; }
.day { margin-top: 1.25rem; }
.day-title { font-size: 1.125rem; margin: 0; padding-bottom: .25rem; border-bottom: 2px solid var(--accent); }
.items, .parts { list-style: none; margin: 0; padding: 0; }
.item { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: .75rem 0; border-bottom: 1px solid color-mix(in srgb, var(--text) 20%, transparent); }
.when { flex: 0 0 9rem; margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.what { flex: 1 1 18rem; min-width: 0; margin: 0; }
.session-title { font-size: 1rem; margin: 0; }
.number { display: block; color: var(--accent); font-size: .875rem; letter-spacing: .03em; text-transform: uppercase; }
.mechanism { margin: .25rem 0 0; color: var(--muted); font-size: .875rem; }
.parts { margin-top: .5rem; padding-left: .75rem; border-left: 3px solid color-mix(in srgb, var(--accent) 40%, transparent); }
.parts li + li { margin-top: .25rem; }
.break .what { color: var(--muted); font-style: italic; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
