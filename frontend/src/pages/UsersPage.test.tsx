import { cleanup, screen } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { UsersDocument } from "../graphql/generated";
import { renderApp } from "../testing/renderApp";
import { USERS_PER_PAGE } from "./UsersPage";

afterEach(cleanup);

const users = [
  {
    __typename: "User",
    id: "1",
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    // newest first: the page asks for the newest one and the count
    purchases: {
      __typename: "PurchaseConnection",
      totalCount: 2,
      edges: [
        {
          __typename: "PurchaseEdge",
          node: { __typename: "Purchase", id: "p2", item: { __typename: "Item", id: "2", name: "Chair" } },
        },
      ],
    },
  },
  {
    __typename: "User",
    id: "2",
    firstName: "Alan",
    lastName: "Turing",
    email: "alan@example.com",
    purchases: { __typename: "PurchaseConnection", totalCount: 0, edges: [] },
  },
];

function connection(nodes: typeof users, hasNextPage = false, endCursor: string | null = null) {
  return {
    __typename: "UserConnection",
    totalCount: nodes.length,
    pageInfo: { __typename: "PageInfo", hasNextPage, endCursor },
    edges: nodes.map((node) => ({ __typename: "UserEdge", node })),
  };
}

const firstPage = { query: UsersDocument, variables: { first: USERS_PER_PAGE, after: null } };

test("lists each user with email, purchase count, last item and a link to the user's page", async () => {
  renderApp("/", [{ request: firstPage, result: { data: { users: connection(users) } } }]);

  expect(screen.getByRole("status").textContent).toMatch(/Loading users/);

  const ada = await screen.findByRole("link", { name: /Ada Lovelace/ });
  expect(ada.getAttribute("href")).toBe("/users/1");
  expect(ada.textContent).toContain("ada@example.com");
  expect(ada.textContent).toContain("2 purchases");
  expect(ada.textContent).toContain("last: Chair");

  const alan = screen.getByRole("link", { name: /Alan Turing/ });
  expect(alan.getAttribute("href")).toBe("/users/2");
  expect(alan.textContent).toContain("0 purchases");
  expect(alan.textContent).not.toContain("last:");
});

test("says when there are no users", async () => {
  renderApp("/", [{ request: firstPage, result: { data: { users: connection([]) } } }]);

  expect(await screen.findByText("No users yet.")).toBeTruthy();
});

test("says when the API cannot be reached", async () => {
  renderApp("/", [{ request: firstPage, error: new TypeError("Failed to fetch") }]);

  expect((await screen.findByRole("alert")).textContent).toMatch(/Could not reach the shop's API/);
});

test("pages through the users with Next and Previous", async () => {
  const [ada, alan] = users;
  renderApp("/", [
    { request: firstPage, result: { data: { users: connection([ada], true, "c1") } } },
    {
      request: { query: UsersDocument, variables: { first: USERS_PER_PAGE, after: "c1" } },
      result: { data: { users: connection([alan]) } },
    },
  ]);

  await screen.findByRole("link", { name: /Ada Lovelace/ });
  expect(screen.queryByRole("link", { name: /Alan Turing/ })).toBeNull();
  screen.getByRole("button", { name: /Next/ }).click();
  expect(await screen.findByRole("link", { name: /Alan Turing/ })).toBeTruthy();
  expect(screen.queryByRole("link", { name: /Ada Lovelace/ })).toBeNull();
});
