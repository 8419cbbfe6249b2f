// Hive Gateway configuration, read by `hive-gateway supergraph` when run from router/.
import { defineConfig, type TransportEntryAdditions } from '@graphql-hive/gateway';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const env = process.env;

// A subgraph URL set in the environment wins over the routing_url composed into the supergraph
// (tests run subgraphs on free ports, docker compose by service name).
function locationOverride(variable: string): { location?: string } {
  return env[variable] ? { location: env[variable] } : {};
}

const transportEntries: TransportEntryAdditions = {
  users: locationOverride('USERS_SUBGRAPH_URL'),
  purchases: {
    ...locationOverride('PURCHASES_SUBGRAPH_URL'),
    // Strawberry serves subscriptions over graphql-transport-ws on the same path as HTTP;
    // without this the gateway would ask the subgraph for SSE. The path resolves against `location`.
    options: { subscriptions: { kind: 'ws', location: '/graphql' } },
  },
};

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  // 0.0.0.0 so that the router is reachable from other containers and the host under docker compose.
  host: env.HOST ?? '0.0.0.0',
  port: Number(env.PORT ?? 4000),
  graphqlEndpoint: '/graphql',
  graphiql: true,
  // GraphiQL with its assets inlined, so it works offline (the gateway's legacy GraphiQL loads them
  // from a CDN); the default Hive Laboratory is offline too but is a 21 MB page.
  renderGraphiQL,
  playgroundName: 'GraphiQL',
  transportEntries,
  cors: {
    origin: (env.CORS_ORIGINS ?? 'http://localhost:5173,http://localhost:8080')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    credentials: true,
  },
});
