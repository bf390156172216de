import { createServer, type Server } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yoga } from '../src/app.js';
import { closeServer, launchChromium, listen } from './support/browser.js';

describe('GraphiQL at /graphql in a browser', () => {
  let api: Server;
  let apiUrl: string;
  let browser: Browser;

  /** What reached the API, as `METHOD path`. */
  const reached: string[] = [];

  beforeAll(async () => {
    api = createServer((request, response) => {
      reached.push(`${request.method} ${request.url}`);
      return yoga(request, response);
    });
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

  it('sends a small page whose script, styles and icon the browser keeps: a second visit fetches only the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const visit = async () => {
      reached.length = 0;
      await page.goto(`${apiUrl}/graphql`);
      await page.locator('.graphiql-container').first().waitFor({ timeout: 30_000 });
      // The icon is fetched after the page has loaded.
      await page.waitForTimeout(500);
      // GraphiQL asks the API for the schema on each visit: a POST, not a file.
      return reached.filter((request) => !request.startsWith('POST /graphql'));
    };
    const first = await visit();
    expect(first).toEqual(expect.arrayContaining([expect.stringMatching(/^GET \/graphiql\/[\w-]{16}\.js$/), expect.stringMatching(/^GET \/graphiql\/[\w-]{16}\.css$/)]));
    expect(await visit()).toEqual(['GET /graphql']);
    await context.close();
  });

  it('sends the page small, and each asset compressed as asked, cacheable for good under a name that changes with it', async () => {
    const response = await yoga.fetch('http://api.test/graphql', { headers: { accept: 'text/html' } });
    const html = await response.text();
    expect(html.length).toBeLessThan(2_000);
    const paths = [...html.matchAll(/(?:href|src)="(\/graphiql\/[^"]+)"/g)].map((match) => match[1]!);
    expect(paths).toHaveLength(3);
    for (const path of paths) {
      expect((await yoga.fetch(`http://api.test${path}`, { method: 'HEAD' })).status).toBe(200);
      const plain = await yoga.fetch(`http://api.test${path}`);
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const bytes = Buffer.from(await plain.arrayBuffer());
      for (const [encoding, decompress] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
        const compressed = await yoga.fetch(`http://api.test${path}`, { headers: { 'accept-encoding': `${encoding}, identity;q=0.5` } });
        expect([compressed.status, compressed.headers.get('content-encoding'), compressed.headers.get('vary')]).toEqual([200, encoding, 'Accept-Encoding']);
        const sent = Buffer.from(await compressed.arrayBuffer());
        expect(sent.length).toBeLessThan(bytes.length);
        expect(decompress(sent).equals(bytes)).toBe(true);
      }
    }
    expect((await yoga.fetch('http://api.test/graphiql/0123456789abcdef.js')).status).toBe(404);
  });
});
