import { expect, test } from "vitest";
import { graphqlEndpoints } from "./graphqlEndpoints";

test("an absolute router URL is used as it is, with ws for subscriptions", () => {
  expect(graphqlEndpoints("http://localhost:4000/graphql", "http://localhost:5173/users/1")).toEqual({
    httpUrl: "http://localhost:4000/graphql",
    wsUrl: "ws://localhost:4000/graphql",
  });
});

test("a path is served by the page's own origin (nginx proxies it to the router)", () => {
  expect(graphqlEndpoints("/graphql", "http://shop.example:8080/users/1")).toEqual({
    httpUrl: "http://shop.example:8080/graphql",
    wsUrl: "ws://shop.example:8080/graphql",
  });
});

test("a page served over https subscribes over wss", () => {
  expect(graphqlEndpoints("/graphql", "https://shop.example/").wsUrl).toBe("wss://shop.example/graphql");
});
