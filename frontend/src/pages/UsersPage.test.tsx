import { MockedProvider } from "@apollo/client/testing/react";
import { cleanup, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, expect, test } from "vitest";
import { USERS_QUERY, UsersPage } from "./UsersPage";

afterEach(cleanup);

const usersResult = {
  data: {
    users: [
      {
        __typename: "User",
        id: "1",
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.com",
        purchases: [
          { __typename: "Purchase", id: "p1", item: { __typename: "Item", name: "Table" } },
          { __typename: "Purchase", id: "p2", item: { __typename: "Item", name: "Chair" } },
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
    ],
  },
};

test("lists each user with email, purchase count and a link to the user's page", async () => {
  render(
    <MockedProvider mocks={[{ request: { query: USERS_QUERY }, result: usersResult }]}>
      <MemoryRouter>
        <UsersPage />
      </MemoryRouter>
    </MockedProvider>,
  );

  expect(screen.getByRole("status").textContent).toMatch(/Loading users/);

  const ada = await screen.findByRole("link", { name: /Ada Lovelace/ });
  expect(ada.getAttribute("href")).toBe("/users/1");
  expect(ada.textContent).toContain("ada@example.com");
  expect(ada.textContent).toContain("2 purchases");

  const alan = screen.getByRole("link", { name: /Alan Turing/ });
  expect(alan.getAttribute("href")).toBe("/users/2");
  expect(alan.textContent).toContain("0 purchases");
});

test("says when the API cannot be reached", async () => {
  render(
    <MockedProvider mocks={[{ request: { query: USERS_QUERY }, error: new TypeError("Failed to fetch") }]}>
      <MemoryRouter>
        <UsersPage />
      </MemoryRouter>
    </MockedProvider>,
  );

  expect((await screen.findByRole("alert")).textContent).toMatch(/Could not reach the shop's API/);
});
