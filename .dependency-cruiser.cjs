// The layers of src/ (README, Layout), each importing only those below it:
//   app (src/app.ts, src/server.ts, src/pglite-template.ts: the entries) → http → resolvers → schema (and src/context.ts)
//   → rules → db → shared modules (the other files directly in src/, src/embed, src/client, src/generated).
// src/mail sits beside the resolvers, another caller of the rules: the resolvers queue mail
// through it, and it imports no resolver, schema or HTTP code. src/formats (the iCalendar and
// frab files the API writes) sits below mail and http, above the rules.
const layer = {
  app: '^src/(app|server|pglite-template)[.]ts$',
  http: '^src/http/',
  resolvers: '^src/resolvers/',
  schema: '^src/(schema/|context[.]ts$)',
  mail: '^src/mail/',
  formats: '^src/formats/',
  rules: '^src/rules/',
  db: '^src/db/',
};
const shared = '^src/(?!(app|server|pglite-template|context)[.]ts$)[^/]+[.]ts$|^src/(embed|client|generated)/';
const below = (name, ...lower) => ({
  name: `no-${name}-above`,
  comment: `${lower.join(', ')} import nothing from ${name}, a layer above them`,
  severity: 'error',
  from: { path: lower.map((l) => layer[l] ?? shared).join('|') },
  to: { path: layer[name] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'an import cycle ties modules that should stand apart', severity: 'error', from: { path: '^src/', pathNot: '^src/generated/' }, to: { circular: true } },
    below('app', 'http', 'resolvers', 'schema', 'mail', 'formats', 'rules', 'db', 'shared'),
    below('http', 'resolvers', 'schema', 'mail', 'formats', 'rules', 'db', 'shared'),
    below('resolvers', 'schema', 'mail', 'formats', 'rules', 'db', 'shared'),
    below('schema', 'mail', 'formats', 'rules', 'db', 'shared'),
    below('mail', 'schema', 'formats', 'rules', 'db', 'shared'),
    below('formats', 'rules', 'db', 'shared'),
    below('rules', 'db', 'shared'),
    below('db', 'shared'),
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
