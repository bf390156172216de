import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

export interface AgendaChange {
  eventSlug: string;
  revision: number;
}

/**
 * Live-update channel. In memory for one process; through Redis when REDIS_URL is set, so a
 * change written through any API process reaches the subscribers of every other.
 */
function eventTarget() {
  const url = process.env.REDIS_URL;
  if (!url) return undefined;
  const options = { lazyConnect: false, maxRetriesPerRequest: 3 };
  return createRedisEventTarget({ publishClient: new Redis(url, options), subscribeClient: new Redis(url, options) });
}

export const pubsub = createPubSub<{
  agendaChanged: [eventSlug: string, change: AgendaChange];
  /** An event was created or deleted, or its languages changed, in the process `origin` (src/content-languages.ts). */
  contentLanguagesChanged: [change: { origin: string }];
}>({ eventTarget: eventTarget() });
