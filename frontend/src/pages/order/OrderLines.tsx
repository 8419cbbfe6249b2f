import { formatTokenAmount } from "../../currency/tokenAmount";
import { formatPrice, formatTime } from "../../format";
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
      {order.cryptoDue && <CryptoDue due={order.cryptoDue} />}
    </section>
  );
}

/** What a crypto order must pay: the server's figure, at the quote it was priced with. */
function CryptoDue({ due }: { due: NonNullable<OrderDetailsFragment["cryptoDue"]> }) {
  return (
    <p className="cart-total crypto-due">
      Due in {due.symbol} <strong>{formatTokenAmount(due.amount, due.symbol)}</strong>{" "}
      <span className="muted">
        (1 {due.symbol} = {formatPrice(due.usdRate)} USD, quoted{" "}
        <time dateTime={due.quotedAt}>{formatTime(due.quotedAt)}</time>)
      </span>
    </p>
  );
}
