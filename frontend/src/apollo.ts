import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import { refreshOnceLink } from "./auth/refreshLink";
import { authorizationHeader, currentSession, refreshSession } from "./auth/session";
import { graphqlEndpoints } from "./graphqlEndpoints";
import { traceparentLink } from "./traceparent";

// The router is reached on the page's own origin (Vite's proxy in dev, nginx in compose), so
// no CORS is involved and the refresh cookie stays first-party.
export const { httpUrl: graphqlHttpUrl, wsUrl: graphqlWsUrl } = graphqlEndpoints(
  import.meta.env.VITE_GRAPHQL_URL ?? "/graphql",
  window.location.href,
);

// Each request carries the in-memory access token, if any.
const authLink = new SetContextLink((prevContext) => {
  const authorization = authorizationHeader();
  if (!authorization) return {};
  return { headers: { ...prevContext.headers, authorization } };
});

// Each query and mutation also carries a W3C `traceparent`: the first link of its trace
// (router, subgraphs, outbox, email worker).
const httpLink = ApolloLink.from([
  traceparentLink,
  refreshOnceLink(() => currentSession() !== null, refreshSession),
  authLink,
  new HttpLink({ uri: graphqlHttpUrl }),
]);

// lazy (the default): the socket opens only when the first subscription starts, and its
// connection params carry the token of that moment (the router passes it to the subgraph).
const wsLink = new GraphQLWsLink(
  createClient({
    url: graphqlWsUrl,
    connectionParams: () => {
      const authorization = authorizationHeader();
      return authorization ? { authorization } : {};
    },
  }),
);

// One link: subscriptions over WebSocket, queries and mutations over HTTP.
const link = ApolloLink.split(
  (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
  wsLink,
  httpLink,
);

export const apolloClient = new ApolloClient({ link, cache: new InMemoryCache() });

/** Another user signed in or out: what the cache holds was read as someone else. */
export function forgetCachedData() {
  // Queries in flight are aborted and asked again; the abort is no error to report.
  apolloClient.resetStore().catch(() => undefined);
}
