import { DocumentKind, DocumentStatus } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

const DocumentKindEnum = builder.enumType(DocumentKind, { name: 'DocumentKind' });
const DocumentStatusEnum = builder.enumType(DocumentStatus, { name: 'DocumentStatus' });

export const Document = builder.prismaNode('Document', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    title: t.exposeString('title'),
    kind: t.expose('kind', { type: DocumentKindEnum }),
    status: t.expose('status', { type: DocumentStatusEnum, nullable: true }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Where to read it; null until the organizer publishes one.' }),
  }),
});
