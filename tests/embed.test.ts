import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { print } from 'graphql';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yoga } from '../src/app.js';
import { WidgetAgendaDocument } from '../src/client/operations.js';
import { trustedOperations } from '../src/http/trusted-documents.js';
import { importEvent } from '../src/resolvers/event-import.js';
import { embedScene } from './support/browser.js';

const slug = 'ohchr-remedy-tech-2021';
const get = (path: string, headers: Record<string, string> = {}) => yoga.fetch(`http://api.test${path}`, { headers });
const persisted = (hash: string, variables: object) =>
  `/graphql?variables=${encodeURIComponent(JSON.stringify(variables))}&extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }))}`;

describe('GET /embed/<slug>, the agenda page for iframes', () => {
  it('shows every day, session, part and break in the event\'s zone, named, with no script, framable anywhere', async () => {
    const response = await get(`/embed/${slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).not.toContain('<script');
    expect(html).toContain('<p class="zone">Times in Europe/Zurich (Central European Summer Time)</p>');
    expect(html).toContain('<h2 class="day-title" id="day-2021-09-23"><time datetime="2021-09-23">Thursday, September 23, 2021</time></h2>');
    expect(html).toContain(
      '<p class="when" dir="ltr"><time datetime="2021-09-23T08:00:00.000Z">10:00</time>–<time datetime="2021-09-23T10:00:00.000Z">12:00</time></p><div class="what">' +
        '<h3 class="session-title"><span class="number">Session 1</span> <span dir="auto" lang="en">Remedying adverse human rights impacts of technology companies through the courts</span></h3>' +
        '<p class="mechanism">Mechanism type: Judicial mechanisms</p>',
    );
    expect(html).toContain('<li>Part 1: <span dir="auto" lang="en">The role and contributions of national human rights institutions</span></li>');
    expect(html).toContain('<li>Part 2: <span dir="auto" lang="en">A selection of hypotheticals will be used');
    expect(html).toContain('<li class="item break"><p class="when" dir="ltr"><time datetime="2021-09-23T10:00:00.000Z">12:00</time>');
    expect(html.match(/class="item session"/g)).toHaveLength(4);
  });

  it('takes the widget\'s options as query parameters: language, one day, one mechanism type, another zone', async () => {
    const spanish = await (await get(`/embed/${slug}?lang=es&day=2021-09-24`)).text();
    expect(spanish).toMatch(/^<!doctype html><html lang="es">/);
    expect(spanish).toContain('viernes, 24 de septiembre de 2021');
    expect(spanish).toContain('<span class="number">Sesión 3</span>');
    expect(spanish).not.toContain('Sesión 1');

    const judicialInNewYork = await (await get(`/embed/${slug}?time-zone=America/New_York&mechanism-type=JUDICIAL`)).text();
    expect(judicialInNewYork).toContain('Times in America/New York (Eastern Daylight Time)');
    expect(judicialInNewYork).toContain('<time datetime="2021-09-23T08:00:00.000Z">04:00</time>');
    expect(judicialInNewYork.match(/class="item session"/g)).toHaveLength(1);
    expect(judicialInNewYork).not.toContain('class="item break"');
  });

  it('answers an unknown event with a 404 page and bad options with a 400 page naming them', async () => {
    const missing = await get('/embed/no-such-event?lang=fr');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await missing.text()).toContain('<html lang="fr">');

    const bad = await get(`/embed/${slug}?day=2021-02-31&mechanism-type=COURTS&time-zone=Mars/Olympus`);
    expect(bad.status).toBe(400);
    const text = await bad.text();
    for (const name of ['day must', 'mechanism-type must', 'time-zone must']) expect(text).toContain(name);
  });
});

describe('GET /embed/agenda.js and the trusted documents it sends', () => {
  it('serves the widget as one small, cacheable script any site may load', async () => {
    const response = await get('/embed/agenda.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const script = await response.text();
    expect(script).toContain("customElements.define('event-agenda'");
    expect(script).toContain(trustedOperations.WidgetAgenda);
    expect(script).not.toMatch(/^(import|export) /m);
    expect(gzipSync(script).length).toBeLessThan(8_000);
    const again = await get('/embed/agenda.js', { 'if-none-match': response.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('runs src/client/widget.graphql\'s operations by the sha256 of their text, over GET, and still any query', async () => {
    const hash = createHash('sha256').update(print(WidgetAgendaDocument)).digest('hex');
    expect(trustedOperations.WidgetAgenda).toBe(hash);
    const response = await get(persisted(hash, { slug, day: '2021-09-23' }), { accept: 'application/json' });
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const { data } = await response.json();
    expect(data.event.timeZone).toBe('Europe/Zurich');
    expect(data.event.agenda.map((day: { date: string }) => day.date)).toEqual(['2021-09-23']);

    const unknown = await (await get(persisted('0'.repeat(64), { slug }), { accept: 'application/json' })).json();
    expect(unknown.errors[0].message).toBe('PersistedQueryNotFound');
    const arbitrary = await (await get(`/graphql?query=${encodeURIComponent('{ mechanismTypes { code } }')}`, { accept: 'application/json' })).json();
    expect(arbitrary.data.mechanismTypes).toHaveLength(3);
  });
});

describe('<event-agenda> in Chromium, on a partner page of another origin', () => {
  let browser: Browser;
  let partnerUrl: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ browser, partnerUrl, close } = await embedScene(
      (apiUrl) =>
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A partner</title></head><body>' +
        '<a href="/about">About us</a><h1>Consultation on remedy</h1>' +
        `<event-agenda event="${slug}"></event-agenda><script src="${apiUrl}/embed/agenda.js"></script>` +
        `<iframe title="Programme" width="600" height="300" src="${apiUrl}/embed/${slug}?lang=fr&day=2021-09-24"></iframe>` +
        '</body></html>',
    ));
  });

  afterAll(() => close?.());

  const sessionStart = async (page: Page, number: number) => {
    const start = page.locator('event-agenda li.session', { hasText: `Session ${number}` }).locator('time').first();
    await start.waitFor();
    return start.textContent();
  };

  /** Tabs until focus is on the widget's time-zone control, and says which choice it is on. */
  const tabToZoneControl = async (page: Page) => {
    for (let presses = 0; presses < 5; presses += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const inner = document.activeElement?.shadowRoot?.activeElement;
        return inner instanceof HTMLInputElement && inner.name === 'zone' ? inner.value : null;
      });
      if (focused) return focused;
    }
    return null;
  };

  for (const [timezoneId, localStart] of [['Europe/Zurich', '10:00'], ['America/New_York', '04:00']] as const) {
    it(`shows the event's time, then by keyboard the viewer's own (${timezoneId})`, async () => {
      const context = await browser.newContext({ timezoneId, viewport: { width: 900, height: 1200 } });
      const page = await context.newPage();
      const agendaRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/graphql')) agendaRequests.push(request.url());
      });
      await page.goto(partnerUrl);

      expect(await sessionStart(page, 1)).toBe('10:00');
      expect(await page.locator('event-agenda .zone').textContent()).toBe('Times in Europe/Zurich (Central European Summer Time)');
      expect(await page.locator('event-agenda section[aria-label="Agenda"] h3').count()).toBe(2);
      expect(agendaRequests.every((url) => url.includes('extensions=') && !url.includes('query='))).toBe(true);

      expect(await tabToZoneControl(page)).toBe('event');
      await page.keyboard.press('ArrowRight');
      expect(await sessionStart(page, 1)).toBe(localStart);
      const focusRing = await page.evaluate(() => {
        const input = document.querySelector('event-agenda')!.shadowRoot!.activeElement as HTMLInputElement;
        return { value: input.value, outline: getComputedStyle(input.closest('label')!).outlineStyle };
      });
      expect(focusRing).toEqual({ value: 'local', outline: 'solid' });

      // The iframe page, framed by another origin.
      expect(await page.frameLocator('iframe').locator('.number').first().textContent()).toBe('Séance 3');

      if (timezoneId === 'America/New_York') {
        await mkdir('tests/__screenshots__', { recursive: true });
        await page.screenshot({ path: 'tests/__screenshots__/widget.png', fullPage: true });
      }
      await context.close();
    });
  }

  it('refreshes when an import changes a session (agendaChanged over Server-Sent Events)', async () => {
    const context = await browser.newContext({ timezoneId: 'Europe/Zurich' });
    const page = await context.newPage();
    const subscribed = page.waitForResponse((response) => response.url().includes('operationName=WidgetAgendaChanged'));
    await page.goto(partnerUrl);
    expect(await sessionStart(page, 1)).toBe('10:00');
    expect((await subscribed).headers()['content-type']).toContain('text/event-stream');
    await new Promise((resolve) => setTimeout(resolve, 500)); // the subscription reaches the pubsub

    const file = JSON.parse(await readFile('seed/ohchr-remedy-tech-2021.json', 'utf8'));
    file.event.sessions[0].title = 'Courts as a path to remedy';
    await importEvent(file);

    const title = page.locator('event-agenda li.session', { hasText: 'Session 1' }).locator('.session-title');
    await expect.poll(() => title.textContent(), { timeout: 10_000 }).toBe('Session 1 Courts as a path to remedy');
    expect(await page.locator('event-agenda [role=status]').textContent()).toBe('The agenda was updated.');
    await context.close();
  });
});
