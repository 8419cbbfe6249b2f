import type { MockLink } from "@apollo/client/testing";
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { UserPageDocument } from "../graphql/generated";
import { barbara, cryptoCurrencies, lamp, noQuoteOf, pricesIn, table } from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";
import { CURRENCY_KEY } from "./currencyStorage";
import { describeQuoteAge, formatTokenAmount, tokenTotal } from "./tokenAmount";

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const userPage: MockLink.MockedResponse = {
  request: { query: UserPageDocument, variables: { id: "5" } },
  result: { data: { user: barbara(), items: [table, lamp] } },
  maxUsageCount: 10,
};

const items = () => within(screen.getByRole("region", { name: "Items for sale" })).getAllByRole("listitem");

test("prices in USD by default; switched to ETH, each item's token amount and its quote's age", async () => {
  const user = userEvent.setup();
  renderApp("/users/5", [userPage, cryptoCurrencies, pricesIn("ETH", { "1": 0.004, "3": 0.02000001 })]);

  const currency = await screen.findByRole("combobox", { name: "Prices in" });
  expect((currency as HTMLSelectElement).value).toBe("USD");
  expect(items()[0].textContent).toContain("10.00");
  await screen.findByRole("option", { name: "ETH (Ethereum)" });

  await user.selectOptions(currency, "ETH");
  await screen.findByText("0.004 ETH");
  const [tableRow, lampRow] = items();
  expect(tableRow.textContent).toContain("0.004 ETH quote 2 min old");
  expect(lampRow.textContent).toContain("0.02000001 ETH");
  expect(tableRow.textContent).not.toContain("10.00");
  // kept for the next page load
  expect(localStorage.getItem(CURRENCY_KEY)).toBe("ETH");
});

test("a token chosen before is remembered on the next load", async () => {
  localStorage.setItem(CURRENCY_KEY, "ETH");
  renderApp("/users/5", [userPage, cryptoCurrencies, pricesIn("ETH", { "1": 0.004, "3": 0.02 }, 30)]);

  expect(await screen.findByText("0.004 ETH")).toBeTruthy();
  expect(items()[0].textContent).toContain("quote 30 s old");
  expect((screen.getByRole("combobox", { name: "Prices in" }) as HTMLSelectElement).value).toBe("ETH");
});

test("no quote yet: said so, and the prices stay in USD", async () => {
  localStorage.setItem(CURRENCY_KEY, "ETH");
  renderApp("/users/5", [userPage, cryptoCurrencies, noQuoteOf("ETH")]);

  expect((await screen.findByRole("alert")).textContent).toBe(
    "The shop has no ETH quote yet. Prices are shown in USD.",
  );
  expect(items()[0].textContent).toContain("10.00");
  expect(items()[1].textContent).toContain("50.00");
  expect(screen.getByRole("heading", { name: "Barbara Liskov" })).toBeTruthy();
});

test("token amounts: 8 decimals at most, sums without float drift, ages in words", () => {
  expect(formatTokenAmount(0.1, "ETH")).toBe("0.1 ETH");
  expect(formatTokenAmount(0.00000001, "BTC")).toBe("0.00000001 BTC");
  expect(formatTokenAmount(2, "SOL")).toBe("2 SOL");
  expect(tokenTotal([{ amount: 0.1, quantity: 1 }, { amount: 0.2, quantity: 1 }])).toBe(0.3);
  expect(tokenTotal([{ amount: 0.00000003, quantity: 3 }])).toBe(0.00000009);
  expect(describeQuoteAge(5)).toBe("quote 5 s old");
  expect(describeQuoteAge(125)).toBe("quote 2 min old");
  expect(describeQuoteAge(7300)).toBe("quote 2 h old");
});
