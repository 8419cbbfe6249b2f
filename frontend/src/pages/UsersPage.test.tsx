import { cleanup, screen } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import { UsersDocument } from "../graphql/generated";
import { renderApp } from "../testing/renderApp";

afterEach(cleanup);

const users = [
  {
    __typename: "User",
    id: "1",
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    // newest first
    purchases: [
      { __typename: "Purchase", id: "p2", item: { __typename: "Item", id: "2", name: "Chair" } },
      { __typename: "Purchase", id: "p1", item: { __typename: "Item", id: "1", name: "Table" } },
    ],
  },
  {
    __typename: "User",
    id: "2",
    firstName: "Alan",
    lastName: "Turing",
    email: "alan@example.com",
    purchases: [],
  },
];

test("lists each user with email, purchase count, last item and a link to the user's page", async () => {
  renderApp("/", [{ request: { query: UsersDocument }, result: { data: { users } } }]);

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
  renderApp("/", [{ request: { query: UsersDocument }, result: { data: { users: [] } } }]);

  expect(await screen.findByText("No users yet.")).toBeTruthy();
});

test("says when the API cannot be reached", async () => {
  renderApp("/", [{ request: { query: UsersDocument }, error: new TypeError("Failed to fetch") }]);

  expect((await screen.findByRole("alert")).textContent).toMatch(/Could not reach the shop's API/);
});
