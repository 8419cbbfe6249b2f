import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";

export const graphqlHttpUrl = import.meta.env.VITE_GRAPHQL_URL ?? "http://localhost:4000/graphql";

// The router serves WebSocket subscriptions on the same path: http→ws, https→wss.
export const graphqlWsUrl = graphqlHttpUrl.replace(/^http/, "ws");

const httpLink = new HttpLink({ uri: graphqlHttpUrl });

// lazy (the default): the socket opens only when the first subscription starts.
const wsLink = new GraphQLWsLink(createClient({ url: graphqlWsUrl }));

const link = ApolloLink.split(
  (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
  wsLink,
  httpLink,
);

export const apolloClient = new ApolloClient({ link, cache: new InMemoryCache() });
