// The schema's types; the root queries and mutations that use them are in src/resolvers.
import './admin-token.js';
import './agenda.js';
import './audit-entry.js';
import './calendar.js';
import './document.js';
import './error.js';
import './event.js';
import './mechanism-type.js';
import './message.js';
import './panelist.js';
import './part.js';
import './registration.js';
import './schedule-change.js';
import './session.js';

