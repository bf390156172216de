import { prisma } from '../db/client.js';
import { ValidationError } from '../errors.js';
import { builder } from '../schema/builder.js';
import { Registration } from '../schema/registration.js';
import { adminMutation } from './admin-writes.js';
import { maxReviewed, reviewRegistrations } from './registration/review.js';

// The desk's review of requests to attend in a mode that needs approval (Event.approvalRequiredFor).

const reviewed = {
  required: true,
  for: Registration,
  description: `Registrations of one event (that of the first), at most ${maxReviewed}: all are reviewed, or none when any can't be (ValidationError names each).`,
} as const;

const ApproveRegistrationsInput = builder.inputType('ApproveRegistrationsInput', { fields: (t) => ({ ids: t.globalIDList(reviewed) }) });

const DeclineRegistrationsInput = builder.inputType('DeclineRegistrationsInput', {
  fields: (t) => ({ ids: t.globalIDList(reviewed), reason: t.string({ description: 'Told to each registrant in the decline mail.' }) }),
});

const ReviewRegistrationsPayload = builder.objectRef<{ ids: string[] }>('ReviewRegistrationsPayload').implement({
  fields: (t) => ({
    registrations: t.prismaField({
      type: [Registration],
      description: 'The registrations reviewed, in the order given, as they are now.',
      resolve: async (query, { ids }) => {
        const rows = await prisma.registration.findMany({ ...query, where: { id: { in: ids } } });
        return ids.map((id) => rows.find((row) => row.id === id)!);
      },
    }),
  }),
});

adminMutation('approveRegistrations', {
  input: ApproveRegistrationsInput,
  payload: ReviewRegistrationsPayload,
  refusals: [ValidationError],
  scopes: { reviewRegistrations: true },
  description:
    'Approves pending requests (REVIEW_REGISTRATIONS): each chosen session is CONFIRMED where a seat of its mode is free, else WAITLISTED, in the order the sessions were chosen; each registrant is mailed. Refused, changing nothing, for an unknown, cancelled or declined registration, one of another event, or one that needs no approval; one already approved is left as it is.',
  write: async (input) => ({ ids: await reviewRegistrations('approve', input.ids.map((id) => id.id)) }),
});

adminMutation('declineRegistrations', {
  input: DeclineRegistrationsInput,
  payload: ReviewRegistrationsPayload,
  refusals: [ValidationError],
  scopes: { reviewRegistrations: true },
  description:
    'Declines requests (REVIEW_REGISTRATIONS), pending or approved: the registration is DECLINED, every session CANCELLED (a seat freed goes to the first one waiting), and the registrant is mailed, with the reason when given. Refused, changing nothing, for an unknown or cancelled registration, one of another event, or one that needs no approval.',
  write: async (input) => ({ ids: await reviewRegistrations('decline', input.ids.map((id) => id.id), input.reason ?? null) }),
});
