import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { yoga } from '../src/app.js';

/**
 * The GraphQL over HTTP spec's audits (graphql-http) against the app's fetch: every MUST and
 * SHOULD. MAYs are choices (README, Conformance).
 */
describe('GraphQL over HTTP conformance', () => {
  const audits = serverAudits({ url: 'http://api.test/graphql', fetchFn: yoga.fetch });
  for (const audit of audits.filter(({ name }) => !name.startsWith('MAY'))) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});
