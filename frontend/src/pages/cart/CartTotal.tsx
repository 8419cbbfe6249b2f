import { cartTotal, type CartLine } from "../../cart/cart";
import { amountDue, formatTokenAmount } from "../../currency/tokenAmount";
import { formatPrice } from "../../format";
import type { TokenPrices } from "../../currency/usePricesIn";

type Props = { lines: readonly CartLine[]; inToken: TokenPrices };

/** The cart's total in the chosen token when every line has a price in it, in USD otherwise. */
export function CartTotal({ lines, inToken }: Props) {
  const due = amountDue(lines, inToken.prices);
  const symbol = inToken.quote?.symbol;
  return (
    <p className="cart-total">
      Total{" "}
      <strong>{due !== null && symbol ? formatTokenAmount(due, symbol) : formatPrice(cartTotal(lines))}</strong>
    </p>
  );
}
