import { lexicographicSortSchema } from 'graphql';
import { builder } from '../schema/builder.js';
import '../schema/index.js';
import './admin.js';
import './audit.js';
import './document.js';
import './event.js';
import './mechanism-type.js';
import './message.js';
import './node.js';
import './panelist.js';
import './part.js';
import './registration.js';
import './registration-review.js';
import './session.js';

// Sorted, so the printed schema.graphql changes only where the API does.
export const schema = lexicographicSortSchema(builder.toSchema());
