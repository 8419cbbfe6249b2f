import type { MockLink } from "@apollo/client/testing";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { readCart } from "../cart/cartStorage";
import {
  CartPageDocument,
  OrderDocument,
  OrderUpdatedDocument,
  type OrderDetailsFragment,
} from "../graphql/generated";
import { orderEmail, orderOf, priceIn, seeds, table } from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const order = (id: string): MockLink.MockedResponse["request"] => ({
  query: OrderDocument,
  variables: { id },
});

function orderNow(found: OrderDetailsFragment | null, id = found?.id ?? "order-1"): MockLink.MockedResponse {
  return { request: order(id), result: { data: { order: found } } };
}

function orderBecomes(next: OrderDetailsFragment): MockLink.MockedResponse {
  return {
    request: { query: OrderUpdatedDocument, variables: { id: next.id } },
    result: { data: { orderUpdated: next } },
    delay: 50,
  };
}

const status = () => screen.getByRole("status");
const placed = orderOf([
  [table, 2],
  [seeds, 1],
]);

test("shows the lines and the total, then follows the order from awaiting payment to paid and its email", async () => {
  renderApp("/orders/order-1", [
    orderNow(placed),
    orderBecomes({ ...placed, status: "PAID", email: orderEmail("ORDER_CONFIRMATION") }),
  ]);

  expect(status().textContent).toMatch(/Loading the order/);
  expect(await screen.findByRole("heading", { name: "Order" })).toBeTruthy();
  expect(status().textContent).toContain("Awaiting payment");
  const [tableLine, seedsLine] = screen.getAllByRole("listitem");
  expect(tableLine.textContent).toMatch(/Table.*2 × 10\.00.*20\.00/);
  expect(seedsLine.textContent).toMatch(/Seeds.*1 × 4\.10.*4\.10/);
  expect(screen.getByText("24.10")).toBeTruthy();
  expect(screen.getByRole("link", { name: "All orders" }).getAttribute("href")).toBe("/users/5/orders");

  await waitFor(() => expect(status().textContent).toMatch(/^Paid/));
  expect(status().textContent).toContain("Order confirmation email sent to barbara.liskov@example.com.");
  expect(screen.queryByRole("button", { name: /back in the cart/ })).toBeNull();
});

test("a declined card reads as cancelled with the payment's words, then its email", async () => {
  renderApp("/orders/order-1", [
    orderNow(placed),
    orderBecomes({
      ...placed,
      status: "CANCELLED",
      reason: "PAYMENT_FAILED",
      paymentError: "card declined",
      email: orderEmail("ORDER_CANCELLATION"),
    }),
  ]);

  await waitFor(() => expect(status().textContent).toMatch(/^Cancelled: payment failed \(card declined\)/));
  expect(status().textContent).toContain("Cancellation email sent to barbara.liskov@example.com.");
});

test("a settled order is not followed; a cancelled one's items can go back into the cart", async () => {
  const user = userEvent.setup();
  const timedOut = { ...placed, status: "CANCELLED", reason: "PAYMENT_TIMEOUT" } as const;
  // No subscription is mocked: one that started would show "Lost the live status".
  renderApp("/orders/order-1", [
    orderNow({ ...timedOut, email: orderEmail("ORDER_CANCELLATION") }),
    {
      request: { query: CartPageDocument, variables: { id: "5" } },
      result: {
        data: {
          user: { __typename: "User", id: "5", firstName: "Barbara", lastName: "Liskov" },
          items: [table, seeds],
        },
      },
    },
  ]);

  expect(await screen.findByText("Cancelled: not paid in time")).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Put these items back in the cart" }));

  expect(await screen.findByRole("heading", { name: "Cart of Barbara Liskov" })).toBeTruthy();
  expect(readCart("5").map((line) => [line.name, line.quantity])).toEqual([
    ["Table", 2],
    ["Seeds", 1],
  ]);
  expect(screen.queryByRole("alert")).toBeNull();
});

test("says when the order does not exist", async () => {
  renderApp("/orders/nope", [orderNow(null, "nope")]);

  expect(await screen.findByText("There is no order with id nope.")).toBeTruthy();
});

test("signed-in mode: someone else's order, or none signed in, reads as elsewhere", async () => {
  renderApp("/orders/order-1", [
    {
      request: order("order-1"),
      result: { errors: [{ message: "not yours", extensions: { code: "FORBIDDEN" } }] },
    },
  ]);
  expect((await screen.findByRole("alert")).textContent).toBe("You may only do this for your own account.");
  cleanup();

  renderApp("/orders/order-1", [
    {
      request: order("order-1"),
      result: { errors: [{ message: "sign in", extensions: { code: "UNAUTHENTICATED" } }] },
    },
  ]);
  expect((await screen.findByRole("alert")).textContent).toMatch(/^Please sign in/);
});

test("a lost subscription says so", async () => {
  renderApp("/orders/order-1", [
    orderNow(placed),
    {
      request: { query: OrderUpdatedDocument, variables: { id: "order-1" } },
      error: new Error("socket closed"),
    },
  ]);

  expect((await screen.findByRole("alert")).textContent).toMatch(/Lost the live status of this order/);
  expect(status().textContent).toContain("Awaiting payment");
});

test("a crypto order shows what is due in the token, and a payment short of it cancels it with the words", async () => {
  const crypto = { ...placed, cryptoDue: priceIn("ETH", 0.00964) };
  renderApp("/orders/order-1", [
    orderNow(crypto),
    orderBecomes({
      ...crypto,
      status: "CANCELLED",
      reason: "PAYMENT_FAILED",
      paymentError: "amount too small: 0.005 ETH, 0.00964 due",
      email: orderEmail("ORDER_CANCELLATION"),
    }),
  ]);

  expect((await screen.findByText(/Due in ETH/)).textContent).toMatch(/Due in ETH 0\.00964 ETH \(1 ETH = 2500\.00 USD/);
  await waitFor(() =>
    expect(status().textContent).toMatch(/^Cancelled: payment failed \(amount too small: 0\.005 ETH, 0\.00964 due\)/),
  );
});

test("a card order says nothing of tokens", async () => {
  renderApp("/orders/order-1", [orderNow({ ...placed, status: "PAID", email: orderEmail("ORDER_CONFIRMATION") })]);

  await screen.findByRole("heading", { name: "Order" });
  expect(screen.queryByText(/Due in/)).toBeNull();
});
