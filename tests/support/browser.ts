import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { yoga } from '../../src/app.js';

/** Debian's Chromium (CI installs it), headless, with none of its own background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Listens on a free loopback port and returns it. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
}

/**
 * The API listening, a partner's page that embeds it (`page(apiUrl)`, served from another host and
 * port, so the embed is cross-origin) and Chromium: what the widget's browser tests need.
 */
export async function embedScene(page: (apiUrl: string) => string) {
  const api = createServer(yoga);
  const apiUrl = `http://127.0.0.1:${await listen(api)}`;
  const html = page(apiUrl);
  const partner = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  const partnerUrl = `http://localhost:${await listen(partner)}/`;
  const browser = await launchChromium();
  const close = async () => {
    await browser.close();
    await closeServer(api);
    await closeServer(partner);
  };
  return { apiUrl, partnerUrl, browser, close };
}
