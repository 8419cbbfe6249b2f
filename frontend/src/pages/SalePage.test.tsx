import type { MockLink } from "@apollo/client/testing";
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import {
  BuyWithTicketDocument,
  EnterSaleDocument,
  SaleDocument,
  SaleTicketDocument,
  SaleTicketUpdatedDocument,
  type SaleDetailsFragment,
  type TicketDetailsFragment,
} from "../graphql/generated";
import { queueTokenKey } from "../sale/queueTokenStorage";
import { fakeSessions } from "../testing/fakeSessions";
import { meAsBarbara, orderOf, saleOf, table, ticketOf } from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

const signedIn = () => fakeSessions({ signedIn: true });

function saleNow(sale: SaleDetailsFragment): MockLink.MockedResponse {
  return { request: { query: SaleDocument, variables: { id: sale.id } }, result: { data: { sale } }, maxUsageCount: 5 };
}

function entering(answer: MockLink.MockedResponse["result"]): MockLink.MockedResponse {
  return { request: { query: EnterSaleDocument, variables: { saleId: "sale-1" } }, result: answer, delay: 30 };
}

function ticketBecomes(ticket: TicketDetailsFragment, delay = 100): MockLink.MockedResponse {
  return {
    request: { query: SaleTicketUpdatedDocument, variables: { queueToken: ticket.queueToken } },
    result: { data: { saleTicket: ticket } },
    delay,
  };
}

test("an upcoming sale: the item, its prices and units, a countdown to the start, no way in yet", async () => {
  const sale = saleOf({
    state: "UPCOMING",
    startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    unitsLeft: 3,
    units: 3,
  });
  renderApp("/sales/sale-1", [saleNow(sale), meAsBarbara], signedIn());

  expect(await screen.findByRole("heading", { name: "Flash sale: Table" })).toBeTruthy();
  expect(screen.getByText("6.00")).toBeTruthy();
  expect(screen.getByText("10.00")).toBeTruthy();
  expect(screen.getByText("3 of 3")).toBeTruthy();
  expect(screen.getByText("upcoming")).toBeTruthy();
  expect(screen.getByText(/Starts in/).textContent).toMatch(/^Starts in 0[45]:\d\d$/);
  expect(screen.getByText("The queue opens when the sale starts.")).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Enter the queue" })).toBeNull();
});

test("not signed in: a sign-in prompt instead of the queue", async () => {
  renderApp("/sales/sale-1", [saleNow(saleOf())], fakeSessions());

  await screen.findByRole("heading", { name: "Flash sale: Table" });
  expect(screen.getByText(/Ends in/)).toBeTruthy();
  expect(screen.getByText(/to enter the queue of this sale/)).toBeTruthy();
  expect(screen.getAllByRole("link", { name: "Sign in" }).map((link) => link.getAttribute("href"))).toContain(
    "/sign-in",
  );
  expect(screen.queryByRole("button", { name: "Enter the queue" })).toBeNull();
});

test("open: enter the queue, wait with the places ahead, buy when it is one's turn, then the order", async () => {
  const user = userEvent.setup();
  const sale = saleOf();
  const waiting = ticketOf(sale, { position: 2 });
  const ready = { ...waiting, position: 0, status: "READY" as const, purchaseToken: "pt-1" };
  const order = orderOf([[table, 1]], { id: "order-7" });
  renderApp(
    "/sales/sale-1",
    [
      saleNow(sale),
      meAsBarbara,
      entering({ data: { enterSale: waiting } }),
      ticketBecomes(ready, 300),
      {
        request: { query: BuyWithTicketDocument, variables: { purchaseToken: "pt-1" } },
        result: { data: { buyWithTicket: order } },
        delay: 30,
      },
    ],
    signedIn(),
  );

  await user.click(await screen.findByRole("button", { name: "Enter the queue" }));
  expect((await screen.findByText("2 people ahead of you.")).getAttribute("role")).toBe("status");
  // kept for a reload
  expect(sessionStorage.getItem(queueTokenKey("5", "sale-1"))).toBe("qt-1");

  await user.click(await screen.findByRole("button", { name: "Buy now" }));
  const link = await screen.findByRole("link", { name: "see your order" });
  expect(link.getAttribute("href")).toBe("/orders/order-7");
});

test("a reload goes back to the waiting room, where it may be sold out", async () => {
  const sale = saleOf();
  sessionStorage.setItem(queueTokenKey("5", "sale-1"), "qt-1");
  renderApp(
    "/sales/sale-1",
    [saleNow(sale), meAsBarbara, ticketBecomes(ticketOf(sale, { position: 0, status: "SOLD_OUT" }))],
    signedIn(),
  );

  expect(await screen.findByText("Sold out: the last unit went to someone ahead of you.")).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Enter the queue" })).toBeNull();
});

test("without the live subscription, the waiting room asks for the ticket instead", async () => {
  const sale = saleOf();
  sessionStorage.setItem(queueTokenKey("5", "sale-1"), "qt-1");
  renderApp(
    "/sales/sale-1",
    [
      saleNow(sale),
      meAsBarbara,
      {
        request: { query: SaleTicketUpdatedDocument, variables: { queueToken: "qt-1" } },
        error: new Error("socket closed"),
      },
      {
        request: { query: SaleTicketDocument, variables: { queueToken: "qt-1" } },
        result: { data: { saleTicket: ticketOf(sale, { position: 1 }) } },
        maxUsageCount: 10,
      },
    ],
    signedIn(),
  );

  expect(await screen.findByText("1 person ahead of you.")).toBeTruthy();
});

test("a sale sold out meanwhile: entering says so in the API's words", async () => {
  const user = userEvent.setup();
  renderApp(
    "/sales/sale-1",
    [
      saleNow(saleOf()),
      meAsBarbara,
      entering({ errors: [{ message: "This sale is sold out.", extensions: { code: "GONE" } }] }),
    ],
    signedIn(),
  );

  await user.click(await screen.findByRole("button", { name: "Enter the queue" }));
  expect((await screen.findByRole("alert")).textContent).toBe("This sale is sold out.");
  expect(sessionStorage.length).toBe(0);
});

test("a sale sold out or over says so", async () => {
  renderApp("/sales/sale-1", [saleNow(saleOf({ state: "SOLD_OUT", unitsLeft: 0 }))], signedIn());
  expect(await screen.findByText("Sold out: every unit has gone.")).toBeTruthy();
  expect(screen.queryByText(/Ends in/)).toBeNull();
});

test("a place that is no longer valid is said so, and can be given up to enter again", async () => {
  const user = userEvent.setup();
  sessionStorage.setItem(queueTokenKey("5", "sale-1"), "qt-old");
  renderApp(
    "/sales/sale-1",
    [
      saleNow(saleOf()),
      meAsBarbara,
      {
        request: { query: SaleTicketUpdatedDocument, variables: { queueToken: "qt-old" } },
        result: { errors: [{ message: "This queue token has expired.", extensions: { code: "UNAUTHENTICATED" } }] },
      },
      {
        request: { query: SaleTicketDocument, variables: { queueToken: "qt-old" } },
        result: { errors: [{ message: "This queue token has expired.", extensions: { code: "UNAUTHENTICATED" } }] },
      },
    ],
    signedIn(),
  );

  expect((await screen.findByRole("alert")).textContent).toBe(
    "This place in the queue cannot be followed: This queue token has expired.",
  );
  await user.click(screen.getByRole("button", { name: "Leave this place in the queue" }));
  expect(await screen.findByRole("button", { name: "Enter the queue" })).toBeTruthy();
  expect(sessionStorage.length).toBe(0);
});
