import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importEvent } from '../src/resolvers/event-import.js';
import { embedScene } from './support/browser.js';
import { futureEvent } from './support/future-event.js';

const arabicTitle = 'سبل الانتصاف في قطاع التكنولوجيا';

describe('<event-agenda> on a right-to-left page (dir="rtl" lang="ar")', () => {
  let scene: Awaited<ReturnType<typeof embedScene>>;

  beforeAll(async () => {
    const arabic = futureEvent('rtl-partner');
    arabic.event.sessions![0]!.title = arabicTitle;
    await importEvent(arabic);
    scene = await embedScene(
      (apiUrl) =>
        '<!doctype html><html dir="rtl" lang="ar"><head><meta charset="utf-8"><title>شريك</title></head><body>' +
        '<h1>جدول الأعمال</h1>' +
        '<event-agenda event="ohchr-remedy-tech-2021" day="2021-09-24"></event-agenda>' +
        '<event-agenda event="rtl-partner"></event-agenda>' +
        `<script src="${apiUrl}/embed/agenda.js"></script></body></html>`,
    );
  });

  afterAll(() => scene?.close());

  it('shows time ranges in order, "10:00–12:00", and event text in its own direction', async () => {
    const context = await scene.browser.newContext({ timezoneId: 'Europe/Zurich', viewport: { width: 900, height: 1400 }, locale: 'ar' });
    const page = await context.newPage();
    const agendaRequest = page.waitForRequest((request) => request.url().includes('operationName=WidgetAgenda&'));
    await page.goto(scene.partnerUrl);
    // The widget's reads are plain fetches: the browser asks for (and decodes) compressed answers.
    expect((await (await agendaRequest).allHeaders())['accept-encoding']).toMatch(/\bgzip\b/);
    const seeded = page.locator('event-agenda[event="ohchr-remedy-tech-2021"]');
    const when = seeded.locator('li.session', { hasText: 'Session 3' }).locator('.when');
    await when.waitFor();

    // Where each time is drawn: the start left of the end, as the text reads.
    const [start, end] = await Promise.all([when.locator('time').first().boundingBox(), when.locator('time').last().boundingBox()]);
    expect(await when.locator('time').allTextContents()).toEqual(['10:00', '12:00']);
    expect(start!.x + start!.width).toBeLessThanOrEqual(end!.x);
    expect(await when.evaluate((element) => getComputedStyle(element).direction)).toBe('ltr');
    // The page's direction does not reach inside: the widget's labels are in English.
    expect(await seeded.locator('section.agenda').evaluate((element) => getComputedStyle(element).direction)).toBe('ltr');

    // A title written in Arabic reads right to left inside the left-to-right widget.
    const title = page.locator('event-agenda[event="rtl-partner"] .session-title [dir="auto"]', { hasText: arabicTitle });
    await title.waitFor();
    expect(await title.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');

    // Session 4's parts have no title: their descriptions say what each is.
    const parts = await seeded.locator('li.session', { hasText: 'Session 4' }).locator('.parts li').allTextContents();
    expect(parts[0]).toMatch(/^Part 1: The first part of the session will unpack/);
    expect(parts[1]).toMatch(/^Part 2: A selection of hypotheticals/);

    await mkdir('tests/__screenshots__', { recursive: true });
    await page.screenshot({ path: 'tests/__screenshots__/widget-rtl.png', fullPage: true });
    await context.close();
  });
});
