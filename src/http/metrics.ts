import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { Kind, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, register } from 'prom-client';
import { projectPath } from '../project-root.js';
import { sameSecret } from '../secrets.js';

// Process metrics (CPU, memory, event loop lag, handles) beside the GraphQL ones.
collectDefaultMetrics({ register });

/** The operations of our own clients (src/client/*.graphql): the only names a metric is labelled with. */
const clientDirectory = projectPath('src', 'client');
const knownOperations = new Set(
  (
    await Promise.all(
      (await readdir(clientDirectory)).filter((name) => name.endsWith('.graphql')).map((name) => readFile(join(clientDirectory, name), 'utf8')),
    )
  ).flatMap((source) => parse(source).definitions.flatMap((node) => (node.kind === Kind.OPERATION_DEFINITION && node.name ? [node.name.value] : []))),
);

/**
 * An operation's name as a metric label: a client names its operations as it likes, and each new
 * label value is a new series kept for the life of the process, so unknown names share one.
 */
export function operationLabel(name: string | undefined): string {
  return name && knownOperations.has(name) ? name : 'other';
}

const byOperation = (params: { operationName?: string; operationType?: string }) => ({
  operationName: operationLabel(params.operationName),
  operationType: params.operationType ?? 'unknown',
});

/**
 * Prometheus metrics on `GET /metrics`, for `Authorization: Bearer <METRICS_TOKEN>` only: the
 * numbers say what the API serves and how hard it works. Every label comes from a closed set:
 * operation names from `operationLabel`, no URLs and no error paths (aliases are the client's).
 */
export function metrics(): Plugin[] {
  return [
    {
      async onRequest({ request, url, endResponse }) {
        if (url.pathname !== '/metrics') return;
        const metricsToken = process.env.METRICS_TOKEN;
        const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
        if (!metricsToken) {
          endResponse(new Response('Metrics are not served: set METRICS_TOKEN.\n', { status: 404 }));
        } else if (!token || !sameSecret(token, metricsToken)) {
          endResponse(new Response('/metrics needs Authorization: Bearer <METRICS_TOKEN>.\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } }));
        } else {
          endResponse(new Response(await register.metrics(), { headers: { 'content-type': register.contentType, 'cache-control': 'no-store' } }));
        }
      },
    },
    usePrometheus({
      endpoint: false,
      registry: register,
      labels: { url: false, operationName: false, path: false },
      metrics: {
        // The schema deprecates nothing, and looking for deprecated fields walks every document
        // against the schema on every request.
        graphql_envelop_deprecated_field: false,
        // The request_duration histogram measures the same, and its buckets add up across the API's
        // processes, which a summary's quantiles don't; a summary's sliding window is the dearest
        // metric to keep per request.
        graphql_envelop_request_time_summary: false,
        graphql_envelop_request_duration: createHistogram({
          registry: register,
          histogram: { name: 'graphql_envelop_request_duration', help: 'Time spent on running the GraphQL operation', labelNames: ['operationName', 'operationType'] },
          fillLabelsFn: byOperation,
        }),
        graphql_yoga_http_duration: createHistogram({
          registry: register,
          histogram: { name: 'graphql_yoga_http_duration', help: 'Time spent on HTTP connection', labelNames: ['operationName', 'operationType', 'method', 'statusCode'] },
          fillLabelsFn: (params, { request, response }) => ({ ...byOperation(params), method: request.method, statusCode: response.status }),
        }),
      },
    }),
  ];
}
