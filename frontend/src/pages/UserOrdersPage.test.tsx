import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { UserOrdersDocument, type OrderDetailsFragment } from "../graphql/generated";
import { orderEmail, orderOf, seeds, table } from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";
import { ORDERS_PER_PAGE } from "./UserOrdersPage";

afterEach(cleanup);

function userWithOrders(orders: OrderDetailsFragment[] | null, hasNextPage = false, endCursor: string | null = null) {
  return {
    user: {
      __typename: "User",
      id: "5",
      firstName: "Barbara",
      lastName: "Liskov",
      orders: orders && {
        __typename: "OrderConnection",
        totalCount: 3,
        pageInfo: { __typename: "PageInfo", hasNextPage, endCursor },
        edges: orders.map((node) => ({ __typename: "OrderEdge", cursor: `c-${node.id}`, node })),
      },
    },
  };
}

const page = (after: string | null) => ({
  query: UserOrdersDocument,
  variables: { id: "5", first: ORDERS_PER_PAGE, after },
});

const paid = orderOf([[table, 2], [seeds, 1]], {
  id: "o3",
  status: "PAID",
  email: orderEmail("ORDER_CONFIRMATION"),
});
const declined = orderOf([[seeds, 1]], {
  id: "o2",
  status: "CANCELLED",
  reason: "PAYMENT_FAILED",
  paymentError: "card declined",
});
const older = orderOf([[table, 1]], { id: "o1", placedAt: "2026-01-01T09:00:00+00:00" });

test("lists the orders a page at a time, newest first, each linking to its page", async () => {
  const user = userEvent.setup();
  renderApp("/users/5/orders", [
    // asked again on the way back (cache-and-network)
    {
      request: page(null),
      result: { data: userWithOrders([paid, declined], true, "c-o2") },
      maxUsageCount: 2,
    },
    { request: page("c-o2"), result: { data: userWithOrders([older]) } },
  ]);

  expect(await screen.findByRole("heading", { name: "Orders of Barbara Liskov" })).toBeTruthy();
  const [first, second] = within(screen.getByRole("list")).getAllByRole("link");
  expect(first.getAttribute("href")).toBe("/orders/o3");
  expect(first.textContent).toMatch(/2 × Table, 1 × Seeds.*24\.10.*Paid/);
  expect(second.textContent).toMatch(/1 × Seeds.*4\.10.*Cancelled: payment failed \(card declined\)/);
  expect(screen.getByText("3 orders")).toBeTruthy();

  await user.click(screen.getByRole("button", { name: /Next/ }));
  const later = await screen.findByRole("link", { name: /1 × Table/ });
  expect(later.getAttribute("href")).toBe("/orders/o1");
  expect(later.textContent).toContain("Awaiting payment");

  await user.click(screen.getByRole("button", { name: /Previous/ }));
  expect(await screen.findByRole("link", { name: /2 × Table, 1 × Seeds/ })).toBeTruthy();
});

test("says when there is no order yet, linking to the cart", async () => {
  renderApp("/users/5/orders", [{ request: page(null), result: { data: userWithOrders([]) } }]);

  expect(await screen.findByText(/No orders yet/)).toBeTruthy();
  expect(screen.getByRole("link", { name: "the cart" }).getAttribute("href")).toBe("/users/5/cart");
});

test("signed-in mode: someone else's orders are private", async () => {
  renderApp("/users/5/orders", [
    {
      request: page(null),
      result: {
        data: userWithOrders(null),
        errors: [{ message: "not yours", path: ["user", "orders"], extensions: { code: "FORBIDDEN" } }],
      },
    },
  ]);

  expect(await screen.findByText(/These orders are private/)).toBeTruthy();
  expect(screen.getByRole("heading", { name: "Orders of Barbara Liskov" })).toBeTruthy();
});

test("says when the user does not exist", async () => {
  renderApp("/users/5/orders", [{ request: page(null), result: { data: { user: null } } }]);

  expect(await screen.findByText("There is no user with id 5.")).toBeTruthy();
});
