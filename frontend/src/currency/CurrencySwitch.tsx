import { useQuery } from "@apollo/client/react";
import { CryptoCurrenciesDocument } from "../graphql/generated";
import { USD, useCurrency } from "./currencyStorage";

/** Which currency prices are shown in: USD or one of the tokens the shop accepts. */
export function CurrencySwitch() {
  const [currency, setCurrency] = useCurrency();
  const { data } = useQuery(CryptoCurrenciesDocument);
  const tokens = data?.cryptoCurrencies ?? [];
  // A token chosen earlier stays listed while the list loads, so the choice is not lost.
  const listed = currency === USD || tokens.some((token) => token.symbol === currency);
  return (
    <label className="currency-switch">
      Prices in{" "}
      <select value={currency} onChange={(event) => setCurrency(event.target.value)}>
        <option value={USD}>USD</option>
        {!listed && <option value={currency}>{currency}</option>}
        <TokenOptions tokens={tokens} />
      </select>
    </label>
  );
}

/** One option per token the shop accepts: "ETH (Ethereum)". */
export function TokenOptions({ tokens }: { tokens: readonly { symbol: string; name: string }[] }) {
  return tokens.map((token) => (
    <option key={token.symbol} value={token.symbol}>
      {token.symbol} ({token.name})
    </option>
  ));
}
