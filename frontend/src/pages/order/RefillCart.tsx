import { useNavigate } from "react-router";
import type { CartLine } from "../../cart/cart";
import { useCart } from "../../cart/useCart";
import type { OrderDetailsFragment } from "../../graphql/generated";

/** A cancelled order's items back into its user's cart, to pay again (another card, say). */
export function RefillCart({ order }: { order: OrderDetailsFragment }) {
  const cart = useCart(order.user.id);
  const navigate = useNavigate();

  function refill() {
    let lines: readonly CartLine[] = cart.lines;
    for (const line of order.lines) {
      const others = lines.filter((candidate) => candidate.itemId !== line.item.id);
      const inCart = lines.find((candidate) => candidate.itemId === line.item.id)?.quantity ?? 0;
      lines = [
        ...others,
        {
          itemId: line.item.id,
          name: line.item.name,
          unitPrice: line.unitPrice,
          quantity: Math.max(inCart, line.quantity),
        },
      ];
    }
    cart.replace(lines);
    void navigate(`/users/${order.user.id}/cart`);
  }

  return (
    <button type="button" onClick={refill}>
      Put these items back in the cart
    </button>
  );
}
