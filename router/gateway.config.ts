// Hive Gateway configuration, read by `hive-gateway supergraph` when run from router/.
import { defineConfig, type TransportEntryAdditions } from '@graphql-hive/gateway';
import { openTelemetrySetup } from '@graphql-hive/gateway/opentelemetry/setup';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import {
  adminTokenVerifier,
  capWebSocketConnections,
  loadTrustedDocuments,
  useCostLimit,
  useRequestBodyLimit,
  useSubscriptionCap,
  useTrustedDocuments,
} from './protections.ts';

const env = process.env;

// `dev` (the default) keeps GraphiQL, introspection, field suggestions and any document; anything
// else (e.g. `production`) turns those off, accepts only the SPA's operations (or an admin's),
// and refuses to start without the router secret.
const FEDSHOP_ENV = (env.FEDSHOP_ENV ?? 'dev').toLowerCase();
const PRODUCTION = !['dev', 'development', 'test'].includes(FEDSHOP_ENV);
if (PRODUCTION && !env.ROUTER_SHARED_SECRET) {
  throw new Error(
    `ROUTER_SHARED_SECRET is empty: outside dev (FEDSHOP_ENV=${FEDSHOP_ENV}) the router refuses to ` +
      'start without the secret the subgraphs require',
  );
}

// The subgraphs refuse `/graphql` requests without this header (fedshop_common.router_trust).
const ROUTER_SECRET_HEADER = 'x-fedshop-router-secret';
// Interpolated by the gateway per request, so the secret itself never sits in the config; when
// ROUTER_SHARED_SECRET is empty the header is left out (and the subgraphs' check is off).
const routerSecretHeaders: [string, string][] = [
  [ROUTER_SECRET_HEADER, '{env.ROUTER_SHARED_SECRET}'],
];

// Limits on what a client may ask; env vars override them.
// 8: the SPA's deepest query, two connections deep (users > edges > node > purchases > edges
// > node > item > id); one more level of lists is refused.
const MAX_DEPTH = Number(env.GRAPHQL_MAX_DEPTH ?? 8);
const MAX_TOKENS = Number(env.GRAPHQL_MAX_TOKENS ?? 1000);
const UPSTREAM_TIMEOUT_MS = Number(env.UPSTREAM_TIMEOUT_MS ?? 10_000);
const MAX_ALIASES = Number(env.GRAPHQL_MAX_ALIASES ?? 15);
const MAX_BODY_BYTES = Number(env.MAX_BODY_BYTES ?? 1_000_000);
// Cost: objects count 1, a list multiplies by its `first` argument or by the default list size.
const MAX_COST = Number(env.GRAPHQL_MAX_COST ?? 5000);
const DEFAULT_LIST_SIZE = Number(env.GRAPHQL_DEFAULT_LIST_SIZE ?? 10);
const MAX_WEBSOCKETS_PER_CLIENT = Number(env.MAX_WEBSOCKETS_PER_CLIENT ?? 20);
const MAX_SUBSCRIPTIONS_PER_CLIENT = Number(env.MAX_SUBSCRIPTIONS_PER_CLIENT ?? 50);
// Where the users service publishes its public keys (to recognise an admin's token).
const JWKS_URL =
  env.JWKS_URL ||
  new URL('/.well-known/jwks.json', env.USERS_SUBGRAPH_URL ?? 'http://127.0.0.1:4001').toString();

capWebSocketConnections(MAX_WEBSOCKETS_PER_CLIENT);

// A subgraph URL set in the environment wins over the routing_url composed into the supergraph
// (tests run subgraphs on free ports, docker compose by service name).
function locationOverride(variable: string): { location?: string } {
  return env[variable] ? { location: env[variable] } : {};
}

// OpenTelemetry, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (as in the Python services): then
// a span per HTTP request, GraphQL operation and subgraph call, exported over OTLP
// HTTP/protobuf (the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT and appends /v1/traces), the
// browser's `traceparent` continued and a `traceparent` sent to each subgraph.
const TRACING = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
const UNTRACED_PATHS = ['/healthcheck', '/readiness'];
if (TRACING) {
  openTelemetrySetup({
    contextManager: new AsyncLocalStorageContextManager(),
    resource: { serviceName: env.OTEL_SERVICE_NAME ?? 'router' },
    traces: {
      exporter: new OTLPTraceExporter(),
      batching: { scheduledDelayMillis: Number(env.OTEL_BSP_SCHEDULE_DELAY ?? 5000) },
    },
  });
}

const transportEntries: TransportEntryAdditions = {
  // Every subgraph request over HTTP carries the router's secret.
  '*': { headers: routerSecretHeaders },
  users: locationOverride('USERS_SUBGRAPH_URL'),
  inventory: locationOverride('INVENTORY_SUBGRAPH_URL'),
  purchases: {
    ...locationOverride('PURCHASES_SUBGRAPH_URL'),
    // Strawberry serves subscriptions over graphql-transport-ws on the same path as HTTP;
    // without this the gateway would ask the subgraph for SSE. The path resolves against `location`.
    // The WebSocket transport sends no headers unless given them here: the secret goes with
    // the upgrade request.
    // The client's access token rides in the subgraph connection's connection_init payload,
    // interpolated per subscription from the client's headers (for WebSocket clients, the gateway
    // merges their connection params into those); the WS executor keeps one connection per token.
    options: {
      subscriptions: {
        kind: 'ws',
        location: '/graphql',
        headers: routerSecretHeaders,
        options: { connectionParams: { authorization: '{context.headers.authorization}' } },
      },
    },
  },
};

type OperationDocument = { definitions: readonly { kind: string; operation?: string }[] };

function isSubscription(document: OperationDocument): boolean {
  return document.definitions.some(
    (definition) => definition.kind === 'OperationDefinition' && definition.operation === 'subscription',
  );
}

type ClientRequest = {
  request?: Request;
  context?: { req?: { socket?: { remoteAddress?: string } } };
};

// Every subgraph verifies the caller's access token itself (fedshop_common.auth): the router
// passes `Authorization` on unchanged, and never reads it. It also appends the client's address
// to `X-Forwarded-For`, so that the subgraphs' per-client throttles count clients, not the router
// (uvicorn takes the address from the header when the router is a trusted proxy: FORWARDED_ALLOW_IPS).
function fromClient({ request, context }: ClientRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  const authorization = request?.headers?.get('authorization');
  if (authorization) headers.authorization = authorization;
  const peer = context?.req?.socket?.remoteAddress;
  const forwarded = request?.headers?.get('x-forwarded-for');
  const chain = [forwarded, peer].filter(Boolean).join(', ');
  if (chain) headers['x-forwarded-for'] = chain;
  return headers;
}

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  // 0.0.0.0 so that the router is reachable from other containers and the host under docker compose.
  host: env.HOST ?? '0.0.0.0',
  port: Number(env.PORT ?? 4000),
  graphqlEndpoint: '/graphql',
  healthCheckEndpoint: '/healthcheck',
  readinessCheckEndpoint: '/readiness',
  graphiql: PRODUCTION
    ? false
    : {
      title: 'fedshop GraphiQL',
      // GraphiQL follows subscriptions over SSE with a GET, which CSRF prevention refuses without it.
      additionalHeaders: { 'x-graphql-yoga-csrf': 'graphiql' },
      defaultQuery:
        '{\n  users(first: 10) {\n    edges { node { firstName\n      purchases { edges { node { status item { name price } email { kind } } } } } }\n  }\n}\n',
      },
  // GraphiQL with its assets inlined, so it works offline (the gateway's legacy GraphiQL loads them
  // from a CDN); the default Hive Laboratory is offline too but is a 21 MB page.
  renderGraphiQL,
  playgroundName: 'GraphiQL',
  transportEntries,
  propagateHeaders: { fromClientToSubgraphs: fromClient },
  cors: {
    origin: (env.CORS_ORIGINS ?? 'http://localhost:5173,http://localhost:8080')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    credentials: true,
  },
  // A request a browser could send cross-site without a CORS preflight (no content type, or
  // text/plain, form-encoded, multipart; a plain GET) must carry one of these headers.
  // JSON POSTs (Apollo Client, GraphiQL, gql) pass as they are; WebSockets are not concerned.
  csrfPrevention: { requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight'] },
  maxDepth: MAX_DEPTH,
  maxTokens: MAX_TOKENS,
  // "Did you mean …?" would spell out the schema that introspection no longer shows.
  blockFieldSuggestions: PRODUCTION,
  ...(PRODUCTION ? { disableIntrospection: { disableIf: () => true } } : {}),
  plugins: () => [
    useRequestBodyLimit(MAX_BODY_BYTES),
    maxAliasesPlugin({ n: MAX_ALIASES, allowList: [] }),
    useCostLimit(MAX_COST, DEFAULT_LIST_SIZE),
    useSubscriptionCap(MAX_SUBSCRIPTIONS_PER_CLIENT),
    ...(PRODUCTION ? [useTrustedDocuments(loadTrustedDocuments(), adminTokenVerifier(JWKS_URL))] : []),
  ],
  // The gateway's plan for each document compiled once to a function (graphql-jit), not
  // interpreted again on every request: the router's own CPU is most of measurement 3's cost.
  jit: true,
  // Unexpected errors reach clients as "Unexpected error." without message or stack;
  // GraphQL errors the subgraphs return on purpose (NOT_FOUND, BAD_USER_INPUT) pass through.
  maskedErrors: true,
  // A subgraph that does not answer a query or mutation in time gives a GATEWAY_TIMEOUT error.
  // Subscriptions are long-lived streams, so they are exempt.
  upstreamTimeout: ({ executionRequest }) =>
    isSubscription(executionRequest.document) ? undefined : UPSTREAM_TIMEOUT_MS,
  // /metrics for Prometheus: requests, errors and durations of operations and subgraph calls.
  prometheus: { endpoint: '/metrics' },
  openTelemetry: TRACING
    ? {
        traces: {
          spans: {
            http: ({ request }) => !UNTRACED_PATHS.includes(new URL(request.url).pathname),
          },
        },
      }
    : undefined,
});
