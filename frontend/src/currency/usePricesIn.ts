import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { useQuery } from "@apollo/client/react";
import { describeApiError } from "../apiError";
import { PricesInDocument, type TokenPriceFragment } from "../graphql/generated";
import { USD, useCurrency } from "./currencyStorage";

// A quote ages: asked again each minute, so the ages shown stay true.
const REQUOTE_MS = 60_000;

export type TokenPrices = {
  /** Each item's price in the token, by item id; null in USD, while loading, or without a quote. */
  prices: ReadonlyMap<string, TokenPriceFragment> | null;
  /** One of the prices (each comes from the shop's latest quote of the token): its symbol and age. */
  quote: TokenPriceFragment | null;
  /** Why there are no prices in the token although one was chosen (no quote yet, say). */
  problem: string | null;
  loading: boolean;
};

/** The items for sale priced in `symbol` (nothing is asked for USD). */
export function usePricesIn(symbol: string): TokenPrices {
  const inToken = symbol !== USD;
  const { data, error, loading } = useQuery(PricesInDocument, {
    variables: { symbol },
    skip: !inToken,
    pollInterval: inToken ? REQUOTE_MS : 0,
  });
  if (!inToken) return { prices: null, quote: null, problem: null, loading: false };
  if (error) return { prices: null, quote: null, problem: describeQuoteError(error, symbol), loading: false };
  const prices = data ? new Map(data.items.map((item) => [item.id, item.priceIn])) : null;
  return { prices, quote: data?.items[0]?.priceIn ?? null, problem: null, loading: !data && loading };
}

function describeQuoteError(error: Error, symbol: string): string {
  const codes = CombinedGraphQLErrors.is(error) ? error.errors.map((e) => e.extensions?.code) : [];
  if (codes.includes("SERVICE_UNAVAILABLE")) {
    return `The shop has no ${symbol} quote yet.`;
  }
  if (codes.includes("BAD_USER_INPUT")) return `The shop does not accept ${symbol}.`;
  return `No ${symbol} prices: ${describeApiError(error)}`;
}

/** The items for sale priced in the currency the shopper chose. */
export function useChosenPrices(): TokenPrices {
  const [currency] = useCurrency();
  return usePricesIn(currency);
}
