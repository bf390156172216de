import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './admin-token.js';
import './agenda.js';
import './document.js';
import './error.js';
import './event.js';
import './mechanism-type.js';
import './panelist.js';
import './part.js';
import './registration.js';
import './schedule-change.js';
import './session.js';
import '../resolvers/admin.js';
import '../resolvers/event.js';
import '../resolvers/registration.js';

export const schema = lexicographicSortSchema(builder.toSchema());
