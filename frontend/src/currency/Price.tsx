import { formatPrice } from "../format";
import type { TokenPriceFragment } from "../graphql/generated";
import { describeQuoteAge, formatTokenAmount, tokenTotal } from "./tokenAmount";

type Props = {
  usd: number;
  /** The unit price in the chosen token; without it, the price in USD. */
  token?: TokenPriceFragment;
  /** How many units (a cart line's total); 1 by default. */
  quantity?: number;
  /** Whether to say the quote's age (once per line is enough). */
  showAge?: boolean;
};

/** A price in the chosen currency: the token amount and its quote's age, or USD. */
export function Price({ usd, token, quantity = 1, showAge = true }: Props) {
  if (!token) return <span className="price">{formatPrice(usd * quantity)}</span>;
  const amount = tokenTotal([{ amount: token.amount, quantity }]);
  return (
    <span className="price token-price">
      {formatTokenAmount(amount, token.symbol)}
      {showAge && <span className="muted quote-age"> {describeQuoteAge(token.ageSeconds)}</span>}
    </span>
  );
}

type ProblemProps = {
  problem: string | null;
  /** What the shopper can do about it; by default, read the prices in USD. */
  then?: string;
};

/** Why there are no prices in the chosen token; nothing when there is nothing to say. */
export function QuoteProblem({ problem, then = "Prices are shown in USD." }: ProblemProps) {
  if (!problem) return null;
  return (
    <p className="status notice" role="alert">
      {problem} {then}
    </p>
  );
}
