import { useCallback, useSyncExternalStore } from "react";
import { addItem, cartCount, withAtLeast, withQuantity, withoutItem, type CartLine } from "./cart";
import { readCart, subscribeToCarts, writeCart } from "./cartStorage";

/** One user's cart, as stored: every component using it sees each change at once. */
export function useCart(userId: string) {
  const lines = useSyncExternalStore(subscribeToCarts, () => readCart(userId));
  const change = useCallback(
    (next: (lines: readonly CartLine[]) => readonly CartLine[]) => writeCart(userId, next(readCart(userId))),
    [userId],
  );
  return {
    lines,
    /** The units in the cart. */
    count: cartCount(lines),
    add: (item: { id: string; name: string; price: number }) => change((current) => addItem(current, item)),
    setQuantity: (itemId: string, quantity: number) =>
      change((current) => withQuantity(current, itemId, quantity)),
    remove: (itemId: string) => change((current) => withoutItem(current, itemId)),
    putBack: (wanted: readonly CartLine[]) => change((current) => withAtLeast(current, wanted)),
    empty: () => change(() => []),
  };
}
