/**
 * An absolute link on the API: from PUBLIC_URL, else the address this process listens on. Never
 * from the request's Host, which the client writes and cached answers would pass to every reader.
 */
export function publicUrl(path: string): URL {
  const base = process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 4000}`;
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}
