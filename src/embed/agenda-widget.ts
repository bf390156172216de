/*
 * <event-agenda event="ohchr-remedy-tech-2021">: the agenda for partner sites, served as one
 * script by src/http/embed.ts (GET /embed/agenda.js) together with ./agenda-view.ts.
 */
import { escapeHtml, labels, operationUrl, readOptions, renderDays, renderHeader, resolveZone, styles, zonePlace, type AgendaEvent, type Language, type ZoneChoice } from './agenda-view.js';

/** Set by src/http/embed.ts when it serves the script: the GraphQL path and the trusted operations' hashes. */
declare const EMBED: { endpoint: string; operations: Record<'WidgetAgenda' | 'WidgetAgendaChanged', string> };

// The API is wherever this script came from, whichever page embeds it.
const api = new URL(EMBED.endpoint, (document.currentScript as HTMLScriptElement | null)?.src ?? location.href);
const localZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

const operation = (name: keyof typeof EMBED.operations, variables: Record<string, unknown>) =>
  operationUrl(api, name, EMBED.operations[name], variables).href;

class EventAgenda extends HTMLElement {
  static observedAttributes = ['event', 'lang', 'day', 'mechanism-type', 'time-zone'];

  #root = this.attachShadow({ mode: 'open' });
  /** undefined while loading, null when the API knows no such event. */
  #event: AgendaEvent | null | undefined;
  #failed = false;
  /** The viewer's choice in the control, starting from the `time-zone` attribute. */
  #zone: ZoneChoice = 'event';
  /** The variables of the data shown or being fetched. */
  #variables = '';
  #changes: EventSource | null = null;
  #controlHtml = '';

  constructor() {
    super();
    this.#root.innerHTML =
      `<style>:host { display: block; } :host([hidden]) { display: none; }${styles}</style>` +
      // Its own direction: the labels are in left-to-right languages whatever the host page's `dir`.
      '<section class="agenda" dir="ltr"><div class="header"></div><fieldset class="zones" hidden></fieldset><div class="days"></div>' +
      '<p class="visually-hidden" role="status"></p></section>';
    this.#part('.zones').addEventListener('change', (event) => {
      this.#zone = (event.target as HTMLInputElement).value;
      this.#render();
    });
  }

  connectedCallback() {
    this.#update();
  }

  disconnectedCallback() {
    this.#changes?.close();
    this.#changes = null;
    this.#variables = '';
  }

  attributeChangedCallback(name: string) {
    if (name === 'time-zone') this.#zone = this.getAttribute('time-zone') || 'event';
    if (this.isConnected) this.#update();
  }

  #part(selector: string): HTMLElement {
    return this.#root.querySelector<HTMLElement>(selector)!;
  }

  #options() {
    return readOptions((name) => this.getAttribute(name), this.closest('[lang]')?.getAttribute('lang') ?? 'en');
  }

  /** Fetches and subscribes again when the event or the day changed, then renders. */
  #update() {
    const { options, problems } = this.#options();
    const slug = this.getAttribute('event');
    const variables = JSON.stringify({ slug, day: options.day, lang: options.contentLang });
    if (slug && problems.length === 0 && variables !== this.#variables) {
      this.#variables = variables;
      this.#event = undefined;
      void this.#load(false);
      this.#listen(slug);
    }
    this.#render();
  }

  /** `fresh` after a change: revalidate rather than trust the browser's cached copy. */
  async #load(fresh: boolean) {
    const variables = this.#variables;
    let event: AgendaEvent | null | undefined;
    try {
      const response = await fetch(operation('WidgetAgenda', JSON.parse(variables)), { cache: fresh ? 'no-cache' : 'default' });
      event = (await response.json()).data?.event;
    } catch {
      // Failed: keep what is shown, if anything.
    }
    if (variables !== this.#variables) return; // the attributes moved on meanwhile
    if (event !== undefined) this.#event = event;
    this.#failed = this.#event === undefined;
    this.#render();
    if (fresh && event !== undefined) this.#part('[role=status]').textContent = labels[this.#options().options.lang].updated;
  }

  /** Refetches when the schedule changes, over Server-Sent Events. */
  #listen(slug: string) {
    this.#changes?.close();
    const changes = new EventSource(operation('WidgetAgendaChanged', { slug }));
    changes.addEventListener('next', (message) => {
      const revision: number | undefined = JSON.parse(message.data).data?.agendaChanged?.revision;
      if (!this.#event || revision === undefined || revision > this.#event.revision) void this.#load(true);
    });
    // After a dropped connection, changes may have been missed.
    let opened = false;
    changes.addEventListener('open', () => {
      if (opened) void this.#load(true);
      opened = true;
    });
    this.#changes = changes;
  }

  #render() {
    const { options, problems } = this.#options();
    const t = labels[options.lang];
    const section = this.#part('section');
    section.lang = options.lang;
    section.setAttribute('aria-label', t.agenda);
    const event = problems.length === 0 ? this.#event : undefined;
    this.#renderControl(event ?? null, options.lang, options.timeZone);
    if (!event) {
      const message = problems.length ? problems.join(' ') : this.#failed ? t.failed : event === null ? t.notFound : t.loading;
      this.#part('.header').innerHTML = '';
      this.#part('.days').innerHTML = `<p class="note">${escapeHtml(message)}</p>`;
      return;
    }
    const view = { ...options, zone: resolveZone(this.#zone, event.timeZone, localZone), level: 2 as const };
    this.#part('.header').innerHTML = renderHeader(event, view);
    this.#part('.days').innerHTML = renderDays(event, view);
  }

  /**
   * The event's time or the viewer's (or the zone the partner named). Rebuilt only when its labels
   * change, so that focus stays on it while the viewer switches.
   */
  #renderControl(event: AgendaEvent | null, lang: Language, attribute: ZoneChoice) {
    const control = this.#part('.zones');
    control.hidden = !event;
    if (!event) return;
    const t = labels[lang];
    const choices = new Map([
      ['event', `${t.eventTime} · ${zonePlace(event.timeZone)}`],
      ['local', `${t.myTime} · ${zonePlace(localZone)}`],
    ]);
    if (!choices.has(attribute)) choices.set(attribute, zonePlace(attribute));
    const html =
      `<legend>${escapeHtml(t.showTimesIn)}</legend>` +
      [...choices].map(([value, label]) => `<label><input type="radio" name="zone" value="${escapeHtml(value)}"> ${escapeHtml(label)}</label>`).join('');
    if (html !== this.#controlHtml) control.innerHTML = this.#controlHtml = html;
    for (const input of control.querySelectorAll('input')) input.checked = input.value === this.#zone;
  }
}

if (!customElements.get('event-agenda')) customElements.define('event-agenda', EventAgenda);
