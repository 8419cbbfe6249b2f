import type { MockLink } from "@apollo/client/testing";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { readCart } from "../cart/cartStorage";
import {
  BuyItemDocument,
  PurchaseUpdatedDocument,
  UserPageDocument,
  type PurchaseRowFragment,
  type UserPageQuery,
} from "../graphql/generated";
import { barbara, emailFor, lamp, purchaseOf, seeds, table } from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function userPage(data: UserPageQuery): MockLink.MockedResponse {
  return { request: { query: UserPageDocument, variables: { id: "5" } }, result: { data } };
}

/** The purchase mutation for one item, answering after a moment; records the keys it was sent. */
function buying(item: { id: string }, answer: MockLink.MockedResponse["result"], keys: string[] = []) {
  return {
    request: {
      query: BuyItemDocument,
      variables: (variables: Record<string, string>) => {
        if (variables.userId !== "5" || variables.itemId !== item.id) return false;
        keys.push(variables.idempotencyKey);
        return true;
      },
    },
    result: answer,
    delay: 30,
  } satisfies MockLink.MockedResponse;
}

function emailReported(purchase: PurchaseRowFragment): MockLink.MockedResponse {
  return {
    request: { query: PurchaseUpdatedDocument, variables: { id: purchase.id } },
    result: { data: { purchaseUpdated: { ...purchase, email: emailFor(purchase) } } },
    delay: 30,
  };
}

const history = () => within(screen.getByRole("region", { name: "Purchase history" }));

test("shows the user, the items with whether buying succeeds, and the history", async () => {
  const bought = purchaseOf(table, { id: "old" });
  renderApp("/users/5", [
    userPage({ user: barbara([{ ...bought, email: emailFor(bought) }]), items: [table, lamp] }),
  ]);

  expect(screen.getByRole("status").textContent).toMatch(/Loading user/);
  expect(await screen.findByRole("heading", { name: "Barbara Liskov" })).toBeTruthy();
  expect(screen.getByText("barbara.liskov@example.com")).toBeTruthy();

  const items = within(screen.getByRole("region", { name: "Items for sale" }));
  const [tableRow, lampRow] = items.getAllByRole("listitem");
  expect(tableRow.textContent).toMatch(/Table.*10\.00.*purchase will succeed/);
  expect(lampRow.textContent).toMatch(/Lamp.*50\.00.*rejected: 50 or more/);
  expect(items.getByRole("button", { name: "Buy Lamp" })).toBeTruthy();

  const [row] = history().getAllByRole("listitem");
  expect(row.textContent).toMatch(/Table.*10\.00.*succeeded.*confirmation email sent/);
});

test("says when there is nothing for sale and no purchase yet", async () => {
  renderApp("/users/5", [userPage({ user: barbara(), items: [] })]);

  expect(await screen.findByText("Nothing is for sale right now.")).toBeTruthy();
  expect(screen.getByText("No purchases yet.")).toBeTruthy();
});

test("says when the user does not exist", async () => {
  renderApp("/users/5", [userPage({ user: null, items: [table] })]);

  expect(await screen.findByText("There is no user with id 5.")).toBeTruthy();
  expect(screen.getByRole("link", { name: "← All users" }).getAttribute("href")).toBe("/");
});

test("says when the API cannot be reached", async () => {
  renderApp("/users/5", [
    { request: { query: UserPageDocument, variables: { id: "5" } }, error: new TypeError("Failed to fetch") },
  ]);

  expect((await screen.findByRole("alert")).textContent).toMatch(/Could not reach the shop's API/);
});

test("buying shows the outcome at once, then the email, and adds the purchase to the history", async () => {
  const user = userEvent.setup();
  const cheap = purchaseOf(table);
  const dear = purchaseOf(lamp);
  const keys: string[] = [];
  renderApp("/users/5", [
    userPage({ user: barbara(), items: [table, lamp] }),
    buying(table, { data: { purchase: cheap } }, keys),
    emailReported(cheap),
    buying(lamp, { data: { purchase: dear } }, keys),
    emailReported(dear),
  ]);

  await user.click(await screen.findByRole("button", { name: "Buy Table" }));
  expect(screen.getByText("Buying Table…")).toBeTruthy();
  // One purchase at a time: every Buy button waits for the answer.
  expect(screen.getAllByRole<HTMLButtonElement>("button").every((b) => b.disabled)).toBe(true);

  expect(await screen.findByText("Table: purchase succeeded")).toBeTruthy();
  expect(screen.getByRole<HTMLButtonElement>("button", { name: "Buy Lamp" }).disabled).toBe(false);
  expect(history().getAllByRole("listitem")).toHaveLength(1);
  await waitFor(() => expect(history().getByText("confirmation email sent")).toBeTruthy());
  expect(screen.getByText(/confirmation email sent to barbara\.liskov@example\.com/)).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Buy Lamp" }));
  expect(await screen.findByText("Lamp: purchase rejected")).toBeTruthy();
  await waitFor(() => expect(history().getByText("rejection email sent")).toBeTruthy());

  const rows = history().getAllByRole("listitem");
  expect(rows.map((row) => row.textContent)).toEqual([
    expect.stringMatching(/^Lamp.*rejected.*rejection email sent/),
    expect.stringMatching(/^Table.*succeeded.*confirmation email sent/),
  ]);
  expect(new Set(keys).size).toBe(2);
});

test("a purchase the API refuses says that nothing was bought, and buying works again", async () => {
  const user = userEvent.setup();
  renderApp("/users/5", [
    userPage({ user: barbara(), items: [table] }),
    buying(table, {
      errors: [{ message: "users service unavailable", extensions: { code: "SERVICE_UNAVAILABLE" } }],
    }),
  ]);

  await user.click(await screen.findByRole("button", { name: "Buy Table" }));

  expect((await screen.findByRole("alert")).textContent).toBe(
    "Nothing was bought: users service unavailable. Please try again in a moment.",
  );
  expect(screen.getByText("No purchases yet.")).toBeTruthy();
  expect(screen.getByRole<HTMLButtonElement>("button", { name: "Buy Table" }).disabled).toBe(false);
});

test("the Buy button can be pressed from the keyboard and keeps the focus", async () => {
  const user = userEvent.setup();
  const cheap = purchaseOf(table, { email: emailFor(purchaseOf(table)) });
  renderApp("/users/5", [
    userPage({ user: barbara(), items: [table] }),
    buying(table, { data: { purchase: cheap } }),
  ]);

  const buy = await screen.findByRole("button", { name: "Buy Table" });
  buy.focus();
  await user.keyboard("{Enter}");

  expect(await screen.findByText("Table: purchase succeeded")).toBeTruthy();
  await waitFor(() => expect(document.activeElement).toBe(buy));
});

test("Add to cart fills the user's cart, counted on the cart link; a sold-out item cannot be added", async () => {
  const user = userEvent.setup();
  const soldOut = { ...seeds, quantity: 0 };
  renderApp("/users/5", [userPage({ user: barbara(), items: [table, lamp, soldOut] })]);

  const cart = await screen.findByRole("link", { name: "Cart (0)" });
  expect(cart.getAttribute("href")).toBe("/users/5/cart");
  expect(screen.getByRole("link", { name: "Orders" }).getAttribute("href")).toBe("/users/5/orders");

  await user.click(screen.getByRole("button", { name: "Add Table to cart" }));
  await user.click(screen.getByRole("button", { name: "Add Table to cart" }));
  await user.click(screen.getByRole("button", { name: "Add Lamp to cart" }));
  expect(screen.getByRole("link", { name: "Cart (3)" })).toBeTruthy();
  expect(readCart("5").map((line) => [line.name, line.unitPrice, line.quantity])).toEqual([
    ["Table", 10, 2],
    ["Lamp", 50, 1],
  ]);

  expect(screen.getByRole<HTMLButtonElement>("button", { name: "Add Seeds to cart" }).disabled).toBe(true);
});
