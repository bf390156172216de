import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yoga } from '../src/app.js';
import { closeServer, launchChromium, listen } from './support/browser.js';

describe('GraphiQL at /graphql in a browser', () => {
  let api: Server;
  let apiUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    api = createServer(yoga);
    apiUrl = `http://127.0.0.1:${await listen(api)}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer(api);
  });

  it('renders and runs a query with no network but the API (every other host blocked)', async () => {
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    // As offline, or behind a policy that allows only the API: anything else fails.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === apiUrl || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      elsewhere.push(url.href);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const query = '{ mechanismTypes { code } }';
    await page.goto(`${apiUrl}/graphql?query=${encodeURIComponent(query)}`);

    await page.locator('.graphiql-container').first().waitFor({ timeout: 30_000 });
    const answered = page.waitForResponse((response) => response.url().startsWith(`${apiUrl}/graphql`) && response.request().method() === 'POST' && response.request().postData()!.includes('mechanismTypes'));
    await page.locator('.graphiql-execute-button').first().click();
    expect((await answered).status()).toBe(200);
    await expect.poll(() => page.locator('.graphiql-response').first().textContent(), { timeout: 10_000 }).toContain('NON_STATE_BASED');
    expect(elsewhere).toEqual([]);
    await context.close();
  });
});
