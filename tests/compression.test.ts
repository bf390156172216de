import { get as httpGet } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './support/server-process.js';

/** A GET through node:http, which (unlike fetch) hands over the bytes as sent. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const decode = { br: brotliDecompressSync, gzip: gunzipSync } as const;
const agenda = '{ event(slug: "ohchr-remedy-tech-2021") { title agenda { date items { kind title startsAt endsAt } } } }';

describe('compressed answers', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({});
  }, 120_000);
  afterAll(() => server?.stop());

  const read = (path: string, headers: Record<string, string>) => rawGet(`${server.url}${path}`, headers);
  const agendaPath = `/graphql?query=${encodeURIComponent(agenda)}`;

  it('sends a cached public read as Brotli or gzip by Accept-Encoding, the same content, each with its own ETag', async () => {
    const plain = await read(agendaPath, { accept: 'application/json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    const content = plain.body.toString();
    expect(JSON.parse(content).data.event.agenda).toHaveLength(2);

    const etags = new Set([plain.headers.etag]);
    for (const [accept, encoding] of [['gzip, deflate, br, zstd', 'br'], ['gzip', 'gzip'], ['br;q=0.5, gzip', 'gzip']] as const) {
      // The second read of each is answered before Yoga, from what the first kept.
      for (const _ of [1, 2]) {
        const answer = await read(agendaPath, { accept: 'application/json', 'accept-encoding': accept });
        expect(answer.headers['content-encoding']).toBe(encoding);
        expect(answer.headers.vary).toMatch(/Accept-Encoding/);
        expect(answer.body.length).toBeLessThan(plain.body.length / 2);
        expect(decode[encoding](answer.body).toString()).toBe(content);
        etags.add(answer.headers.etag);
        const notModified = await read(agendaPath, { accept: 'application/json', 'accept-encoding': accept, 'if-none-match': answer.headers.etag as string });
        expect(notModified.status).toBe(304);
      }
    }
    expect(etags.size).toBe(3);
    const refused = await read(agendaPath, { accept: 'application/json', 'accept-encoding': 'br;q=0, gzip;q=0, x-unknown' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(content);
  });

  it('sends the widget script compressed once, with Vary: Accept-Encoding', async () => {
    const plain = await read('/embed/agenda.js', {});
    const compressed = await read('/embed/agenda.js', { 'accept-encoding': 'gzip, br' });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers.vary).toBe('Accept-Encoding');
    expect(compressed.body.length).toBeLessThan(plain.body.length / 2);
    expect(brotliDecompressSync(compressed.body).toString()).toBe(plain.body.toString());
    const again = await read('/embed/agenda.js', { 'accept-encoding': 'gzip, br', 'if-none-match': compressed.headers.etag as string });
    expect(again.status).toBe(304);
  });
});
