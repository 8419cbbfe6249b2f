import { formatPrice, formatTime } from "../../format";
import type { SaleDetailsFragment } from "../../graphql/generated";
import { describeSaleState } from "../../sale/describeSale";

/** The sale: its item, the sale price against the usual one, the units left and its state. */
export function SaleSummary({ sale }: { sale: SaleDetailsFragment }) {
  return (
    <section aria-labelledby="sale-heading" className="sale">
      <h1 id="sale-heading">Flash sale: {sale.item.name}</h1>
      <p className="sale-price">
        <strong>{formatPrice(sale.price)}</strong>{" "}
        <span className="muted">
          instead of <s>{formatPrice(sale.item.price)}</s>
        </span>
      </p>
      <dl className="sale-facts">
        <dt>Units left</dt>
        <dd>
          {sale.unitsLeft} of {sale.units}
        </dd>
        <dt>State</dt>
        <dd>
          <span className={`tag sale-state ${sale.state.toLowerCase()}`}>{describeSaleState(sale.state)}</span>
        </dd>
        <dt>When</dt>
        <dd>
          <time dateTime={sale.startsAt}>{formatTime(sale.startsAt)}</time> to{" "}
          <time dateTime={sale.endsAt}>{formatTime(sale.endsAt)}</time>
        </dd>
      </dl>
    </section>
  );
}
