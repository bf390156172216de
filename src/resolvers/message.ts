import { prisma } from '../db/client.js';
import { NotFoundError } from '../errors.js';
import { mailJobs, queueMessages } from '../mail/outbox.js';
import { builder } from '../schema/builder.js';
import { adminMutation } from './admin-writes.js';
import { Message } from '../schema/message.js';

/**
 * Queues a new copy of a message, written afresh from the data as it is when it is sent. A join
 * link's copy carries no link hash: it is a repeat asked for by an admin, not the one mail per
 * link that the join-link rounds guard. Returns the copy's id.
 */
export async function resendMessage(messageId: string): Promise<string> {
  const original = await prisma.message.findUnique({ where: { id: messageId } });
  if (!original) throw new NotFoundError('No message has this ID.');
  const boss = await mailJobs();
  const { registrationId, kind, sessionId, scheduleSinceRevision, scheduleRevision } = original;
  const [copy] = await prisma.$transaction((tx) => queueMessages(tx, boss, [{ registrationId, kind, sessionId, scheduleSinceRevision, scheduleRevision }]));
  return copy!;
}

const ResendMessageInput = builder.inputType('ResendMessageInput', {
  fields: (t) => ({ messageId: t.globalID({ required: true, for: Message }) }),
});

const ResendMessagePayload = builder.objectRef<{ id: string }>('ResendMessagePayload').implement({
  fields: (t) => ({
    // Not `message`: the payload shares a union with `Error`, whose `message` is a string.
    queuedMessage: t.prismaField({
      type: Message,
      description: 'The new copy, queued.',
      resolve: (query, payload) => prisma.message.findUniqueOrThrow({ ...query, where: { id: payload.id } }),
    }),
  }),
});

adminMutation('resendMessage', {
  input: ResendMessageInput,
  payload: ResendMessagePayload,
  refusals: [NotFoundError],
  description: 'Queues a new copy of a message to its registrant (needs READ_REGISTRATIONS and WRITE_EVENTS: it sends mail): the original keeps its record.',
  scopes: { $all: { readRegistrations: true, writeEvents: true } },
  write: async (input) => ({ id: await resendMessage(input.messageId.id) }),
});
