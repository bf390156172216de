import { defineConfig } from 'prisma/config';

// The CLI is used for `prisma generate` only here; migrations run through scripts/migrate.ts,
// which drives the WebAssembly schema engine (see README). Users with the native engine can still
// run `prisma migrate deploy` against DATABASE_URL.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
