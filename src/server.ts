import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { databaseDescription, prisma } from './db/client.js';
import { ensureMigrated } from './db/migrations.js';
import { importEvent } from './resolvers/event-import.js';

const defaultSeed = resolve(import.meta.dirname, '../seed/ohchr-remedy-tech-2021.json');

await ensureMigrated();
if ((await prisma.event.count()) === 0) {
  const file = process.env.SEED_FILE ?? defaultSeed;
  const summary = await importEvent(JSON.parse(await readFile(file, 'utf8')));
  console.log(`seeded ${file}: ${summary.created} rows`);
}

const { yoga } = await import('./app.js');
const port = Number(process.env.PORT ?? 4000);
const server = createServer(yoga);
server.listen(port, () => {
  console.log(`event API on ${databaseDescription}: http://localhost:${port}${yoga.graphqlEndpoint}`);
});
