import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import { graphqlEndpoints } from "./graphqlEndpoints";
import { traceparentLink } from "./traceparent";

export const { httpUrl: graphqlHttpUrl, wsUrl: graphqlWsUrl } = graphqlEndpoints(
  import.meta.env.VITE_GRAPHQL_URL ?? "http://localhost:4000/graphql",
  window.location.href,
);

// Each query and mutation carries a W3C `traceparent`: the first link of its trace (router,
// subgraphs, outbox, email worker).
const httpLink = ApolloLink.from([traceparentLink, new HttpLink({ uri: graphqlHttpUrl })]);

// lazy (the default): the socket opens only when the first subscription starts.
const wsLink = new GraphQLWsLink(createClient({ url: graphqlWsUrl }));

// One link: subscriptions over WebSocket, queries and mutations over HTTP.
const link = ApolloLink.split(
  (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
  wsLink,
  httpLink,
);

export const apolloClient = new ApolloClient({ link, cache: new InMemoryCache() });
