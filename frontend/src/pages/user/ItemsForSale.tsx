import { useEffect, useRef } from "react";
import { Price } from "../../currency/Price";
import { describeStock } from "../../format";
import type { TokenPriceFragment, UserPageQuery } from "../../graphql/generated";
import { purchaseWillSucceed, REJECTION_PRICE } from "../../purchaseRule";

type Item = UserPageQuery["items"][number];
type Props = {
  items: readonly Item[];
  onBuy: (item: Item) => Promise<void>;
  /** Without it, no "Add to cart" buttons. */
  onAddToCart?: (item: Item) => void;
  disabled: boolean;
  /** Each item's price in the chosen token, by item id; without it, prices in USD. */
  prices?: ReadonlyMap<string, TokenPriceFragment> | null;
};

export function ItemsForSale({ items, onBuy, onAddToCart, disabled, prices }: Props) {
  const pressed = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    // Disabling the pressed button dropped keyboard focus; give it back once buying is over.
    if (!disabled && pressed.current) {
      pressed.current.focus();
      pressed.current = null;
    }
  }, [disabled]);

  return (
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">Items for sale</h2>
      {items.length === 0 ? (
        <p className="status">Nothing is for sale right now.</p>
      ) : (
        <ul className={prices ? "rows in-token" : "rows"}>
          {items.map((item) => {
            const succeeds = purchaseWillSucceed(item.price);
            const stock = describeStock(item.quantity);
            const soldOut = item.quantity === 0;
            return (
              <li key={item.id} className="row item-row">
                <span className="name">{item.name}</span>
                <Price usd={item.price} token={prices?.get(item.id)} />
                {stock && <span className={soldOut ? "stock sold-out" : "stock"}>{stock}</span>}
                <span className={succeeds ? "tag succeeded" : "tag rejected"}>
                  {succeeds ? "purchase will succeed" : `rejected: ${REJECTION_PRICE} or more`}
                </span>
                <span className="actions">
                  <button
                    type="button"
                    disabled={disabled || soldOut}
                    aria-label={`Buy ${item.name}`}
                    onClick={(event) => {
                      pressed.current = event.currentTarget;
                      void onBuy(item);
                    }}
                  >
                    {soldOut ? "Sold out" : "Buy"}
                  </button>
                  {onAddToCart && (
                    <button
                      type="button"
                      className="secondary"
                      disabled={disabled || soldOut}
                      aria-label={`Add ${item.name} to cart`}
                      onClick={() => onAddToCart(item)}
                    >
                      Add to cart
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
