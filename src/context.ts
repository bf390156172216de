import { requestLanguages, type RequestLanguages } from './rules/content-languages.js';
import { authenticateAdmin, type AdminPrincipal } from './rules/admin-tokens.js';
import { createSeatCountLoader, createWaitlistPositionLoader } from './rules/seats.js';

export type { AdminPrincipal };

/** Per-request data: the caller, and loaders that batch what one request reads. */
export interface Context {
  request: Request;
  /** The admin behind the request's bearer token, looked up once and only when a field asks. */
  admin: () => Promise<AdminPrincipal | null>;
  /** The languages the request asks content in (`lang` arguments, Accept-Language). */
  languages: RequestLanguages;
  seatCounts: ReturnType<typeof createSeatCountLoader>;
  waitlistPositions: ReturnType<typeof createWaitlistPositionLoader>;
}

export async function createContext(request: Request): Promise<Context> {
  let admin: Promise<AdminPrincipal | null> | undefined;
  return {
    request,
    admin: () => (admin ??= authenticateAdmin(request.headers.get('authorization'))),
    languages: await requestLanguages(request),
    seatCounts: createSeatCountLoader(),
    waitlistPositions: createWaitlistPositionLoader(),
  };
}
