import { MessageKind, MessageStatus } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

export const MessageKindEnum = builder.enumType(MessageKind, {
  name: 'MessageKind',
  description:
    'CONFIRMATION: a new registration (or a cancelled one taking part again). ADDRESS_IN_USE: someone tried to register with the address. MANAGE_LINK: asked for with requestManageLink. PROMOTION: a seat came free. JOIN_LINK: a session\'s join link, at its release. SCHEDULE_CHANGE: sessions the registrant chose moved or were renamed. CANCELLATION: the registration was cancelled.',
});

export const MessageStatusEnum = builder.enumType(MessageStatus, {
  name: 'MessageStatus',
  description:
    'QUEUED: waiting to be sent, or to be tried again. SENT: the mail server accepted it. FAILED: refused for good, or out of retries (see lastError). WITHDRAWN: no longer due when its turn came (the registrant cancelled, the join link changed), so nothing was sent.',
});

export const Message = builder.prismaNode('Message', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { readRegistrations: true },
  description: 'A mail to a registrant as the outbox records it, without its content (needs READ_REGISTRATIONS).',
  fields: (t) => ({
    kind: t.expose('kind', { type: MessageKindEnum }),
    status: t.expose('status', { type: MessageStatusEnum }),
    attempts: t.exposeInt('attempts', { description: 'Deliveries tried so far.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed, as the mail server said it, or why the message was withdrawn.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued.' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true, description: 'When the mail server accepted it.' }),
  }),
});
