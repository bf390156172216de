import { encodeGlobalID } from '@pothos/plugin-relay';
import { AuditActorKind } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

export const AuditActorKindEnum = builder.enumType(AuditActorKind, {
  name: 'AuditActorKind',
  description: 'ADMIN_TOKEN: an issued token. ADMIN_SECRET: the bootstrap secret. REGISTRANT: a registrant with their manage token (not written so far: their own changes are not recorded). SYSTEM: a script writing to the database, or the waiting list promoting someone after a registrant\'s change.',
});

const AuditActor = builder.objectRef<{ kind: AuditActorKind; id: string | null; name: string | null }>('AuditActor').implement({
  fields: (t) => ({
    kind: t.expose('kind', { type: AuditActorKindEnum }),
    id: t.id({ nullable: true, description: 'The admin token\'s global ID.', resolve: (actor) => (actor.id ? encodeGlobalID('AdminToken', actor.id) : null) }),
    name: t.exposeString('name', { nullable: true, description: 'The token\'s name, ADMIN_SECRET, or the script\'s.' }),
  }),
});

export const AuditEntry = builder.prismaObject('AuditEntry', {
  description: 'One record changed, by whom, and how. Entries are never changed or removed (the database refuses it).',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.field({ type: AuditActor, resolve: (entry) => ({ kind: entry.actorKind, id: entry.actorId, name: entry.actorName }) }),
    action: t.exposeString('action', { description: 'For example `session.update`, `registration.approve`, `registration.promote`, `token.create`.' }),
    targetId: t.exposeID('targetId', { description: 'The global ID of the record changed (of the session, for its panelists; of the registration, for its sessions).' }),
    changes: t.field({
      type: 'JSONObject',
      resolve: (entry) => entry.changes as Record<string, unknown>,
      description: 'Each field changed, `{ "title": { "before": …, "after": … } }`; secrets, manage tokens and join links show as "(hidden)", an email only when it is what changed.',
    }),
  }),
});
