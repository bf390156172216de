import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './agenda.js';
import './document.js';
import './event.js';
import './mechanism-type.js';
import './panelist.js';
import './part.js';
import './session.js';
import '../resolvers/event.js';

export const schema = lexicographicSortSchema(builder.toSchema());
