import { ScheduleChangeKind } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

const ScheduleChangeKindEnum = builder.enumType(ScheduleChangeKind, { name: 'ScheduleChangeKind' });

builder.prismaObject('ScheduleChange', {
  description: 'One published change to the schedule: a session or break added, changed or removed, or the event itself changed.',
  fields: (t) => ({
    revision: t.exposeInt('revision', { description: 'The event\'s revision this change was published in.' }),
    kind: t.expose('kind', { type: ScheduleChangeKindEnum }),
    sessionNumber: t.exposeInt('sessionNumber', { nullable: true, description: 'The session concerned; null for a break or the event itself.' }),
    title: t.exposeString('title', { description: 'The title of what changed, as it is now (or was, when removed).' }),
    fields: t.exposeStringList('fields', { description: 'The fields that changed, for example `startsAt`.' }),
    changedAt: t.expose('changedAt', { type: 'DateTime' }),
  }),
});
