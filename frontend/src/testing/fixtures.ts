// Data as the router sends it (with __typename, as Apollo's cache needs to normalize it).
import {
  CryptoCurrenciesDocument,
  MeDocument,
  PricesInDocument,
  type OrderDetailsFragment,
  type PurchaseRowFragment,
  type SaleDetailsFragment,
  type TicketDetailsFragment,
  type TokenPriceFragment,
  type UserPageQuery,
} from "../graphql/generated";

export const table = { __typename: "Item", id: "1", name: "Table", price: 10, quantity: null } as const;
export const lamp = { __typename: "Item", id: "3", name: "Lamp", price: 50, quantity: null } as const;

export function purchaseOf(
  item: typeof table | typeof lamp,
  overrides: Partial<PurchaseRowFragment> = {},
): PurchaseRowFragment {
  const succeeded = item.price < 50;
  return {
    __typename: "Purchase",
    id: `purchase-${item.id}`,
    price: item.price,
    status: succeeded ? "SUCCEEDED" : "REJECTED",
    reason: succeeded ? null : "PRICE_LIMIT",
    createdAt: "2026-01-02T10:00:00+00:00",
    item: { __typename: "Item", id: item.id, name: item.name, quantity: item.quantity },
    email: null,
    ...overrides,
  };
}

export function emailFor(purchase: PurchaseRowFragment): PurchaseRowFragment["email"] {
  return {
    __typename: "EmailNotification",
    kind: purchase.status === "SUCCEEDED" ? "CONFIRMATION" : "REJECTION",
    recipient: "barbara.liskov@example.com",
    sentAt: "2026-01-02T10:00:01+00:00",
  };
}

export function barbara(purchases: PurchaseRowFragment[] = []): NonNullable<UserPageQuery["user"]> {
  return {
    __typename: "User",
    id: "5",
    firstName: "Barbara",
    lastName: "Liskov",
    email: "barbara.liskov@example.com",
    purchases: page(purchases),
  };
}

/** Purchases as a page of the user's history (a connection). */
export function page(purchases: PurchaseRowFragment[]) {
  return {
    __typename: "PurchaseConnection" as const,
    totalCount: purchases.length,
    edges: purchases.map((node) => ({ __typename: "PurchaseEdge" as const, cursor: `c-${node.id}`, node })),
  };
}

export const seeds = { __typename: "Item", id: "11", name: "Seeds", price: 4.1, quantity: 3 } as const;

type OrderItem = { id: string; name: string; price: number; quantity: number | null };

/** An order as the router sends it: `quantity` of each item, awaiting payment unless overridden. */
export function orderOf(
  lines: [OrderItem, number][],
  overrides: Partial<OrderDetailsFragment> = {},
): OrderDetailsFragment {
  const orderLines = lines.map(([item, quantity]) => ({
    __typename: "OrderLine" as const,
    quantity,
    unitPrice: item.price,
    lineTotal: Math.round(item.price * quantity * 100) / 100,
    item: { __typename: "Item" as const, id: item.id, name: item.name, quantity: item.quantity },
  }));
  return {
    __typename: "Order",
    id: "order-1",
    status: "AWAITING_PAYMENT",
    reason: null,
    paymentError: null,
    total: orderLines.reduce((sum, line) => Math.round((sum + line.lineTotal) * 100) / 100, 0),
    placedAt: "2026-01-02T10:00:00+00:00",
    user: { __typename: "User", id: "5" },
    lines: orderLines,
    email: null,
    cryptoDue: null,
    ...overrides,
  };
}

export function orderEmail(kind: "ORDER_CONFIRMATION" | "ORDER_CANCELLATION"): OrderDetailsFragment["email"] {
  return {
    __typename: "EmailNotification",
    kind,
    recipient: "barbara.liskov@example.com",
    sentAt: "2026-01-02T10:00:02+00:00",
  };
}

/** The header's `me` query, signed in as Barbara (fakeSessions' user 5). */
export const meAsBarbara = {
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
} as const;

/** The tokens the shop accepts (issue 18). */
export const eth = {
  __typename: "CryptoCurrency",
  symbol: "ETH",
  name: "Ethereum",
  address: "0xshop000000000000000000000000000000000eth",
} as const;
export const btc = { __typename: "CryptoCurrency", symbol: "BTC", name: "Bitcoin", address: "bc1shopbtc" } as const;

export const cryptoCurrencies = {
  request: { query: CryptoCurrenciesDocument },
  result: { data: { cryptoCurrencies: [btc, eth] } },
  maxUsageCount: 10,
} as const;

/** An item's price in a token at a quote `ageSeconds` old. */
export function priceIn(symbol: string, amount: number, ageSeconds = 120): TokenPriceFragment {
  return {
    __typename: "CryptoPrice",
    symbol,
    amount,
    usdRate: 2500,
    quotedAt: "2026-01-02T09:58:00+00:00",
    ageSeconds,
  };
}

/** The items for sale priced in `symbol`: `amounts` by item id. */
export function pricesIn(symbol: string, amounts: Record<string, number>, ageSeconds = 120) {
  return {
    request: { query: PricesInDocument, variables: { symbol } },
    result: {
      data: {
        items: Object.entries(amounts).map(([id, amount]) => ({
          __typename: "Item" as const,
          id,
          priceIn: priceIn(symbol, amount, ageSeconds),
        })),
      },
    },
    maxUsageCount: 10,
  };
}

/** The shop has no quote of `symbol` yet. */
export function noQuoteOf(symbol: string) {
  return {
    request: { query: PricesInDocument, variables: { symbol } },
    result: {
      errors: [
        { message: `no ${symbol} quote yet`, path: ["items", 0, "priceIn"], extensions: { code: "SERVICE_UNAVAILABLE" } },
      ],
    },
    maxUsageCount: 10,
  };
}

/** A flash sale of the table (issue 19), open now until an hour from now unless overridden. */
export function saleOf(overrides: Partial<SaleDetailsFragment> = {}): SaleDetailsFragment {
  return {
    __typename: "Sale",
    id: "sale-1",
    price: 6,
    units: 1,
    unitsLeft: 1,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    state: "OPEN",
    item: { __typename: "Item", id: "1", name: "Table", price: 10 },
    ...overrides,
  };
}

/** A queue place in `sale`: waiting with `position` ahead unless overridden. */
export function ticketOf(
  sale: SaleDetailsFragment,
  overrides: Partial<TicketDetailsFragment> = {},
): TicketDetailsFragment {
  return {
    __typename: "SaleTicket",
    queueToken: "qt-1",
    position: 2,
    status: "WAITING",
    purchaseToken: null,
    order: null,
    sale: { __typename: "Sale", id: sale.id, unitsLeft: sale.unitsLeft, state: sale.state },
    ...overrides,
  };
}
