import { formatPrice } from "../../format";
import type { OrderDetailsFragment } from "../../graphql/generated";

export function OrderLines({ order }: { order: OrderDetailsFragment }) {
  return (
    <section aria-labelledby="order-lines-heading">
      <h2 id="order-lines-heading">Items</h2>
      <ul className="rows">
        {order.lines.map((line) => (
          <li key={line.item.id} className="row order-line">
            <span className="name">{line.item.name}</span>
            <span className="muted quantity">
              {line.quantity} × {formatPrice(line.unitPrice)}
            </span>
            <span className="price">{formatPrice(line.lineTotal)}</span>
          </li>
        ))}
      </ul>
      <p className="cart-total">
        Total <strong>{formatPrice(order.total)}</strong>
      </p>
    </section>
  );
}
