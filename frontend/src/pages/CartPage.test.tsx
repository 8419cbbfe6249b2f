import type { MockLink } from "@apollo/client/testing";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import type { CartLine } from "../cart/cart";
import { cartKey, readCart, writeCart } from "../cart/cartStorage";
import {
  CartPageDocument,
  CheckoutDocument,
  MakeTestTransactionDocument,
  OrderDocument,
  OrderUpdatedDocument,
  type CartPageQuery,
  type CheckoutMutationVariables,
  type MakeTestTransactionMutationVariables,
  type OrderDetailsFragment,
} from "../graphql/generated";
import { fakeSessions } from "../testing/fakeSessions";
import { CURRENCY_KEY } from "../currency/currencyStorage";
import {
  cryptoCurrencies,
  eth,
  meAsBarbara,
  noQuoteOf,
  orderEmail,
  orderOf,
  priceIn,
  pricesIn,
  seeds,
  table,
} from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const barbara = { __typename: "User", id: "5", firstName: "Barbara", lastName: "Liskov" } as const;

function cartPage(items: CartPageQuery["items"] = [table, seeds], user: CartPageQuery["user"] = barbara) {
  return {
    request: { query: CartPageDocument, variables: { id: user?.id ?? "5" } },
    result: { data: { user, items } },
  } satisfies MockLink.MockedResponse;
}

/** The checkout mutation, answering after a moment; records the variables it was sent. */
function checkingOut(answer: MockLink.MockedResponse["result"], sent: CheckoutMutationVariables[] = []) {
  return {
    request: {
      query: CheckoutDocument,
      variables: (variables: CheckoutMutationVariables) => {
        sent.push(variables);
        return true;
      },
    },
    result: answer,
    // long enough to see it in flight on a busy machine
    delay: 200,
  } satisfies MockLink.MockedResponse;
}

function orderNow(order: OrderDetailsFragment): MockLink.MockedResponse {
  return { request: { query: OrderDocument, variables: { id: order.id } }, result: { data: { order } } };
}

function orderBecomes(order: OrderDetailsFragment): MockLink.MockedResponse {
  return {
    request: { query: OrderUpdatedDocument, variables: { id: order.id } },
    result: { data: { orderUpdated: order } },
    delay: 50,
  };
}

const inCart = (item: { id: string; name: string; price: number }, quantity: number): CartLine => ({
  itemId: item.id,
  name: item.name,
  unitPrice: item.price,
  quantity,
});

const lines = () => screen.getAllByRole("listitem");

test("shows each line with the current price, its quantity and the total; edits are kept", async () => {
  const user = userEvent.setup();
  // Seeds were added at 3.90; the shop sells them at 4.10 now.
  writeCart("5", [inCart(table, 1), { ...inCart(seeds, 2), unitPrice: 3.9 }]);
  renderApp("/users/5/cart", [cartPage()]);

  expect(await screen.findByRole("heading", { name: "Cart of Barbara Liskov" })).toBeTruthy();
  const [tableLine, seedsLine] = lines();
  expect(tableLine.textContent).toMatch(/Table.*10\.00.*10\.00/);
  expect(seedsLine.textContent).toMatch(/Seeds.*4\.10.*8\.20/);
  expect(screen.getByText("18.20")).toBeTruthy();

  const quantity = screen.getByRole("spinbutton", { name: "Quantity of Table" });
  await user.clear(quantity);
  expect(within(tableLine).getByRole("alert").textContent).toBe("1 to 100");
  await user.type(quantity, "3");
  expect(screen.getByText("38.20")).toBeTruthy();
  await user.type(quantity, "00"); // 30 is kept; 300 is over the maximum, not kept
  expect(screen.getByText("308.20")).toBeTruthy();
  await user.tab();
  expect((quantity as HTMLInputElement).value).toBe("30");

  await user.click(screen.getByRole("button", { name: "Remove Seeds" }));
  expect(lines()).toHaveLength(1);
  expect(screen.getByText("300.00", { selector: "strong" })).toBeTruthy();
  // what a reload reads back
  expect(readCart("5")).toEqual([inCart(table, 30)]);
});

test("says when an item in the cart is no longer for sale, or has fewer units left", async () => {
  writeCart("5", [inCart(table, 1), inCart(seeds, 5)]);
  renderApp("/users/5/cart", [cartPage([{ ...seeds }])]);

  await screen.findByRole("heading", { name: "Cart of Barbara Liskov" });
  const [tableLine, seedsLine] = lines();
  expect(tableLine.textContent).toContain("no longer for sale");
  expect(seedsLine.textContent).toContain("only 3 left");
});

test("an empty cart says so and links to the shop", async () => {
  renderApp("/users/5/cart", [cartPage()]);

  expect(await screen.findByText(/The cart is empty/)).toBeTruthy();
  expect(screen.getByRole("link", { name: "the shop's page" }).getAttribute("href")).toBe("/users/5");
  expect(screen.queryByRole("button", { name: "Check out" })).toBeNull();
});

test("checking out sends the lines, the card and a key, empties the cart and follows the order", async () => {
  const user = userEvent.setup();
  writeCart("5", [inCart(table, 2), inCart(seeds, 1)]);
  const placed = orderOf([
    [table, 2],
    [seeds, 1],
  ]);
  const paid = { ...placed, status: "PAID" as const, email: orderEmail("ORDER_CONFIRMATION") };
  const sent: CheckoutMutationVariables[] = [];
  renderApp("/users/5/cart", [
    cartPage(),
    checkingOut({ data: { checkout: placed } }, sent),
    orderNow(placed),
    orderBecomes(paid),
  ]);

  const card = await screen.findByRole("textbox", { name: "Card number" });
  expect((card as HTMLInputElement).value).toBe("4242424242424242");
  expect(screen.getByText(/4000000000000002 is declined/)).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Check out" }));
  expect(screen.getByText("Placing the order…")).toBeTruthy();

  expect(await screen.findByRole("heading", { name: "Order" })).toBeTruthy();
  expect(screen.getByRole("status").textContent).toContain("Awaiting payment");
  expect(sent).toEqual([
    {
      userId: "5",
      items: [
        { itemId: "1", quantity: 2 },
        { itemId: "11", quantity: 1 },
      ],
      payment: { method: "CARD", card: "4242424242424242" },
      idempotencyKey: expect.stringMatching(/^[0-9a-f-]{32,36}$/),
    },
  ]);
  expect(localStorage.getItem(cartKey("5"))).toBeNull();

  await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/^Paid/));
  expect(screen.getByRole("status").textContent).toContain(
    "Order confirmation email sent to barbara.liskov@example.com.",
  );
});

test("paying by transaction: the amount due in the token, a test transaction fills the hash, the checkout sends both", async () => {
  const user = userEvent.setup();
  writeCart("5", [inCart(table, 2), inCart(seeds, 1)]);
  const sent: CheckoutMutationVariables[] = [];
  const made: MakeTestTransactionMutationVariables[] = [];
  const placed = orderOf(
    [
      [table, 2],
      [seeds, 1],
    ],
    { cryptoDue: priceIn("ETH", 0.00964) },
  );
  renderApp("/users/5/cart", [
    cartPage(),
    cryptoCurrencies,
    pricesIn("ETH", { "1": 0.004, "11": 0.00164 }),
    {
      request: {
        query: MakeTestTransactionDocument,
        variables: (variables: MakeTestTransactionMutationVariables) => {
          made.push(variables);
          return true;
        },
      },
      result: {
        data: {
          makeTestTransaction: {
            __typename: "TestTransaction",
            hash: "0xabc123",
            to: eth.address,
            symbol: "ETH",
            amount: 0.00964,
          },
        },
      },
    },
    checkingOut({ data: { checkout: placed } }, sent),
    orderNow(placed),
    orderBecomes(placed),
  ]);

  await user.click(await screen.findByRole("radio", { name: "Crypto" }));
  expect(screen.queryByRole("textbox", { name: "Card number" })).toBeNull();
  const token = screen.getByRole("combobox", { name: "Token" });
  await within(token).findByRole("option", { name: "ETH (Ethereum)" });
  await user.selectOptions(token, "ETH");

  // 2 × 0.004 + 0.00164
  const due = await screen.findByText(/Amount due/);
  expect(due.textContent).toContain("0.00964 ETH (quote 2 min old) to " + eth.address);
  await user.click(screen.getByRole("button", { name: "Make a test transaction" }));
  const hash = screen.getByRole("textbox", { name: "Transaction hash" }) as HTMLInputElement;
  await waitFor(() => expect(hash.value).toBe("0xabc123"));
  expect(made).toEqual([{ symbol: "ETH", amount: 0.00964 }]);

  await user.click(screen.getByRole("button", { name: "Check out" }));
  await screen.findByRole("heading", { name: "Order" });
  expect(sent[0].payment).toEqual({ method: "CRYPTO", symbol: "ETH", txHash: "0xabc123" });
  expect(screen.getByText(/Due in ETH/).textContent).toContain("0.00964 ETH");
});

test("paying by transaction starts with the token the prices are shown in, and needs a hash", async () => {
  const user = userEvent.setup();
  localStorage.setItem(CURRENCY_KEY, "ETH");
  writeCart("5", [inCart(table, 1)]);
  renderApp("/users/5/cart", [cartPage(), cryptoCurrencies, pricesIn("ETH", { "1": 0.004, "11": 0.00164 })]);

  // the cart itself is priced in the token
  expect(await screen.findByText("0.004 ETH", { selector: "strong" })).toBeTruthy();
  await user.click(screen.getByRole("radio", { name: "Crypto" }));
  expect((screen.getByRole("combobox", { name: "Token" }) as HTMLSelectElement).value).toBe("ETH");
  await user.click(screen.getByRole("button", { name: "Check out" }));

  expect(screen.getByRole("alert").textContent).toBe(
    "Enter the transaction's hash (or make a test transaction).",
  );
  expect(readCart("5")).toEqual([inCart(table, 1)]);
});

test("no quote of the token: said so, the cart in USD, no amount due nor test transaction", async () => {
  const user = userEvent.setup();
  writeCart("5", [inCart(table, 1)]);
  renderApp("/users/5/cart", [cartPage(), cryptoCurrencies, noQuoteOf("ETH")]);

  await user.click(await screen.findByRole("radio", { name: "Crypto" }));
  const token = screen.getByRole("combobox", { name: "Token" });
  await within(token).findByRole("option", { name: "ETH (Ethereum)" });
  await user.selectOptions(token, "ETH");

  expect((await screen.findByRole("alert")).textContent).toBe(
    "The shop has no ETH quote yet. Pay by card, or try again in a moment.",
  );
  expect(screen.queryByText(/Amount due/)).toBeNull();
  expect(screen.queryByRole("button", { name: "Make a test transaction" })).toBeNull();
  expect(screen.getByText("10.00", { selector: "strong" })).toBeTruthy();
});

test("a card number that is not one is said so, and nothing is sent", async () => {
  const user = userEvent.setup();
  writeCart("5", [inCart(table, 1)]);
  renderApp("/users/5/cart", [cartPage()]);

  const card = await screen.findByRole("textbox", { name: "Card number" });
  await user.clear(card);
  await user.type(card, "4242");
  await user.click(screen.getByRole("button", { name: "Check out" }));

  expect(screen.getByRole("alert").textContent).toBe("A card number is 12 to 19 digits.");
  expect(readCart("5")).toEqual([inCart(table, 1)]);
});

test("short stock names the short items, marks them, and keeps the cart", async () => {
  const user = userEvent.setup();
  writeCart("5", [inCart(table, 1), inCart(seeds, 2)]);
  renderApp("/users/5/cart", [
    cartPage(),
    checkingOut({
      errors: [
        {
          message: "not enough stock of: Seeds",
          extensions: { code: "CONFLICT", shortItems: ["11"] },
        },
      ],
    }),
  ]);

  await user.click(await screen.findByRole("button", { name: "Check out" }));

  expect((await screen.findByRole("alert")).textContent).toBe(
    "Nothing was ordered: not enough left of Seeds. Lower the quantity or remove it, then check out again.",
  );
  expect(lines()[1].textContent).toContain("not enough left");
  expect(lines()[0].textContent).not.toContain("not enough left");
  expect(readCart("5")).toHaveLength(2);
  expect(screen.getByRole<HTMLButtonElement>("button", { name: "Check out" }).disabled).toBe(false);
});

test("an item no longer for sale is said so, and the cart kept", async () => {
  const user = userEvent.setup();
  writeCart("5", [inCart(table, 1)]);
  renderApp("/users/5/cart", [
    cartPage(),
    checkingOut({ errors: [{ message: "item 1 is not for sale", extensions: { code: "CONFLICT" } }] }),
  ]);

  await user.click(await screen.findByRole("button", { name: "Check out" }));

  expect((await screen.findByRole("alert")).textContent).toBe(
    "Nothing was ordered: item 1 is not for sale. Remove what is no longer for sale, then check out again.",
  );
  expect(readCart("5")).toEqual([inCart(table, 1)]);
});

test("signed-in mode: a checkout refused for want of a session says to sign in", async () => {
  const user = userEvent.setup();
  writeCart("5", [inCart(table, 1)]);
  renderApp("/users/5/cart", [
    cartPage(),
    checkingOut({ errors: [{ message: "sign in first", extensions: { code: "UNAUTHENTICATED" } }] }),
  ]);

  await user.click(await screen.findByRole("button", { name: "Check out" }));

  expect((await screen.findByRole("alert")).textContent).toBe(
    "Nothing was ordered. Please sign in (or sign in again: your session has ended).",
  );
  expect(readCart("5")).toHaveLength(1);
});

test("signed in as someone else, one checks out from one's own cart", async () => {
  writeCart("4", [inCart(table, 1)]);
  const edsger = { __typename: "User", id: "4", firstName: "Edsger", lastName: "Dijkstra" } as const;
  renderApp("/users/4/cart", [meAsBarbara, cartPage([table], edsger)], fakeSessions({ signedIn: true }));

  expect(await screen.findByText(/You are signed in as someone else/)).toBeTruthy();
  expect(screen.getByRole("link", { name: "your own cart" }).getAttribute("href")).toBe("/users/5/cart");
  expect(screen.getByRole<HTMLButtonElement>("button", { name: "Check out" }).disabled).toBe(true);
});
