import type { CartLine } from "../../cart/cart";
import { Price } from "../../currency/Price";
import type { TokenPriceFragment } from "../../graphql/generated";
import { QuantityField } from "./QuantityField";

/** A cart line as the shop sells it now: its current price, whether it is still on sale, the
 * units left (null: unlimited), and whether the last checkout found it short. */
export type ShownLine = CartLine & { onSale: boolean; left: number | null; short: boolean };

type Props = {
  lines: readonly ShownLine[];
  onQuantity: (itemId: string, quantity: number) => void;
  onRemove: (itemId: string) => void;
  disabled: boolean;
  /** Each item's price in the chosen token, by item id; without it, prices in USD. */
  prices?: ReadonlyMap<string, TokenPriceFragment> | null;
};

export function CartLines({ lines, onQuantity, onRemove, disabled, prices }: Props) {
  return (
    <ul className={prices ? "rows in-token" : "rows"}>
      {lines.map((line) => (
        <li key={line.itemId} className="row cart-row">
          <span className="name">
            {line.name} <LineWarning line={line} />
          </span>
          <Price usd={line.unitPrice} token={prices?.get(line.itemId)} />
          <QuantityField
            label={`Quantity of ${line.name}`}
            quantity={line.quantity}
            onChange={(quantity) => onQuantity(line.itemId, quantity)}
            disabled={disabled}
          />
          <span className="line-total">
            <Price usd={line.unitPrice} token={prices?.get(line.itemId)} quantity={line.quantity} showAge={false} />
          </span>
          <button
            type="button"
            className="secondary"
            aria-label={`Remove ${line.name}`}
            disabled={disabled}
            onClick={() => onRemove(line.itemId)}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}

function LineWarning({ line }: { line: ShownLine }) {
  let warning: string | null = null;
  if (!line.onSale) warning = "no longer for sale";
  else if (line.left === 0) warning = "sold out";
  else if (line.left !== null && line.left < line.quantity) warning = `only ${line.left} left`;
  else if (line.short) warning = "not enough left";
  if (!warning) return null;
  return <span className="tag rejected warning">{warning}</span>;
}
