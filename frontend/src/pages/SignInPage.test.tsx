import type { MockLink } from "@apollo/client/testing";
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { AuthError } from "../auth/session";
import { MeDocument, UserPageDocument, UsersDocument } from "../graphql/generated";
import { fakeSessions } from "../testing/fakeSessions";
import { barbara, table } from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";

afterEach(cleanup);

const me: MockLink.MockedResponse = {
  request: { query: MeDocument },
  result: {
    data: {
      me: {
        __typename: "User",
        id: "5",
        firstName: "Barbara",
        lastName: "Liskov",
        email: "barbara.liskov@example.com",
      },
    },
  },
  maxUsageCount: 10,
};
const barbarasPage: MockLink.MockedResponse = {
  request: { query: UserPageDocument, variables: { id: "5" } },
  result: { data: { user: barbara(), items: [table] } },
  maxUsageCount: 10,
};

async function signInAs(email: string, password: string) {
  await userEvent.type(await screen.findByLabelText("Email"), email);
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

test("signing in goes to one's own page and shows the user in the header", async () => {
  renderApp("/sign-in", [me, barbarasPage], fakeSessions());
  await signInAs("barbara.liskov@example.com", "fedshop-demo");

  expect(await screen.findByRole("heading", { name: "Barbara Liskov" })).toBeTruthy();
  const header = screen.getByRole("navigation", { name: "Session" });
  expect(await screen.findByText("Barbara Liskov", { selector: "a" })).toBeTruthy();
  expect(header.textContent).toContain("Signed in as");
  expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
});

test("a wrong password says so and stays on the page", async () => {
  renderApp("/sign-in", [], fakeSessions());
  await signInAs("barbara.liskov@example.com", "not it");

  expect((await screen.findByRole("alert")).textContent).toBe("Wrong email or password.");
  expect(screen.getByRole("heading", { name: "Sign in" })).toBeTruthy();
});

test("too many attempts says when to try again", async () => {
  const refusal = new AuthError("Too many attempts. Try again in 15 minutes.", 429, 900);
  renderApp("/sign-in", [], fakeSessions({ refusal }));
  await signInAs("barbara.liskov@example.com", "guess");

  expect((await screen.findByRole("alert")).textContent).toContain("Try again in 15 minutes");
});

test("a reload keeps the session (the refresh cookie), and signing out ends it", async () => {
  const sessions = fakeSessions({ signedIn: true });
  const home = { request: { query: UsersDocument }, result: { data: { users: [] } } };
  renderApp("/users/5", [me, barbarasPage, home], sessions);

  expect(await screen.findByRole("button", { name: "Sign out" })).toBeTruthy();
  await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
  expect(await screen.findByRole("link", { name: "Sign in" })).toBeTruthy();
  expect(sessions.signedOut()).toBe(true);
});
