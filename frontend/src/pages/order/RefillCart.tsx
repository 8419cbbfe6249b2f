import { useNavigate } from "react-router";
import { useCart } from "../../cart/useCart";
import type { OrderDetailsFragment } from "../../graphql/generated";

/** A cancelled order's items back into its user's cart, to pay again (another card, say). */
export function RefillCart({ order }: { order: OrderDetailsFragment }) {
  const cart = useCart(order.user.id);
  const navigate = useNavigate();

  function refill() {
    cart.putBack(
      order.lines.map((line) => ({
        itemId: line.item.id,
        name: line.item.name,
        unitPrice: line.unitPrice,
        quantity: line.quantity,
      })),
    );
    void navigate(`/users/${order.user.id}/cart`);
  }

  return (
    <button type="button" onClick={refill}>
      Put these items back in the cart
    </button>
  );
}
