import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import Negotiator from 'negotiator';

export type ContentEncoding = 'br' | 'gzip' | 'identity';
const available: ContentEncoding[] = ['br', 'gzip', 'identity'];

/**
 * What to send for a request's Accept-Encoding: Brotli, gzip or the bytes as they are, by the
 * client's q-values, Brotli first among equals. One of three values whatever the header holds,
 * so it can key what is kept per answer.
 */
export function chooseEncoding(acceptEncoding: string | null | undefined): ContentEncoding {
  const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding ?? undefined } });
  // negotiator 1.x takes the server's order for ties; @types/negotiator still describes 0.6.
  const encoding = negotiator.encoding as (offered: ContentEncoding[], options: { preferred: ContentEncoding[] }) => ContentEncoding | undefined;
  return encoding.call(negotiator, available, { preferred: available }) ?? 'identity';
}

/**
 * A body sent many times (a cached answer, the widget script), compressed once per encoding on
 * first demand rather than per request. Each encoding has its own ETag, as RFC 9110 asks of
 * different representations.
 */
export class EncodedBody {
  readonly #variants = new Map<ContentEncoding, Buffer<ArrayBuffer>>();

  /** A text, with the sha256 of its bytes as its ETag. */
  static ofText(text: string): EncodedBody {
    return new EncodedBody(Buffer.from(text), `"${createHash('sha256').update(text).digest('base64url')}"`);
  }

  /** `etag` is the quoted strong ETag of the uncompressed bytes. */
  constructor(
    readonly bytes: Buffer<ArrayBuffer>,
    readonly etag: string,
  ) {
    this.#variants.set('identity', bytes);
  }

  encoded(encoding: ContentEncoding): Buffer<ArrayBuffer> {
    let variant = this.#variants.get(encoding);
    if (!variant) {
      variant =
        encoding === 'br'
          ? // Quality 5: within a few per cent of the best size, for a fraction of the time of
            // Brotli's default 11 (hundreds of milliseconds on the event loop for a large agenda).
            brotliCompressSync(this.bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: this.bytes.length } })
          : gzipSync(this.bytes, { level: 9 });
      this.#variants.set(encoding, variant);
    }
    return variant;
  }

  etagFor(encoding: ContentEncoding): string {
    return encoding === 'identity' ? this.etag : `${this.etag.slice(0, -1)}-${encoding}"`;
  }

  /** The headers that go with `encoding`: Vary on every variant, so shared caches keep them apart. */
  headersFor(encoding: ContentEncoding): { etag: string; 'content-encoding'?: ContentEncoding } {
    return { etag: this.etagFor(encoding), ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }) };
  }
}

/**
 * `body` as the request accepts it (its encoding, with that encoding's ETag), or 304 when the
 * request's If-None-Match already names it. `vary` lists what else the body depends on.
 */
export function encodedResponse(request: Request, body: EncodedBody, headers: Record<string, string>, vary: readonly string[] = []): Response {
  const encoding = chooseEncoding(request.headers.get('accept-encoding'));
  const all = { ...headers, vary: ['Accept-Encoding', ...vary].join(', '), ...body.headersFor(encoding) };
  const known = request.headers.get('if-none-match')?.split(',').some((tag) => tag.trim() === all.etag);
  return known ? new Response(null, { status: 304, headers: all }) : new Response(body.encoded(encoding), { headers: all });
}
