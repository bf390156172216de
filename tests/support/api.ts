import { GraphQLClient } from 'graphql-request';
import { onSqlStatement } from '../../src/db/client.js';
import { yoga } from '../../src/app.js';

/** A graphql-request client that talks to the Yoga app through its fetch, with no socket. */
export function apiClient(headers: Record<string, string> = {}): GraphQLClient {
  return new GraphQLClient('http://api.test/graphql', { fetch: yoga.fetch as typeof fetch, headers });
}

/** Runs `work` and returns its result with the SQL statements it sent. */
export async function withStatementLog<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = onSqlStatement((sql) => statements.push(sql));
  try {
    return { result: await work(), statements };
  } finally {
    stop();
  }
}

export async function postGraphQL(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const response = await yoga.fetch('http://api.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}
