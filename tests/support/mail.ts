import { SessionAvailabilityDocument } from '../../src/client/operations.js';
import { createDelivery } from '../../src/mail/transport.js';
import { startMailWorker } from '../../src/mail/worker.js';
import { apiClient } from './api.js';
import { startInbox, type Inbox } from './smtp.js';

/** A real SMTP server in the test process, and the test process's mail worker sending to it. */
export async function startInboxAndWorker(): Promise<Inbox> {
  const inbox = await startInbox();
  await startMailWorker(createDelivery({ smtpUrl: inbox.url, from: 'Registration <registration@events.example>', dir: '' }));
  return inbox;
}

/** The global IDs of an event's sessions, by number, as a registration form reads them. */
export async function sessionIdsOf(slug: string): Promise<Record<number, string>> {
  const { event } = await apiClient().request(SessionAvailabilityDocument, { slug });
  return Object.fromEntries(event!.agenda.flatMap((day) => day.items.flatMap((item) => (item.session ? [[item.session.number, item.session.id]] : []))));
}
