import { describeEmail, describeStatus, formatPrice, formatTime } from "../../format";
import type { PurchaseRowFragment } from "../../graphql/generated";

type Props = { purchases: readonly PurchaseRowFragment[]; total?: number };

export function PurchaseHistory({ purchases, total = purchases.length }: Props) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Purchase history</h2>
      {purchases.length === 0 ? (
        <p className="status">No purchases yet.</p>
      ) : (
        <ol className="rows">
          {purchases.map((purchase) => (
            <li key={purchase.id} className="row purchase-row">
              <span className="name">{purchase.item.name}</span>
              <span className="price">{formatPrice(purchase.price)}</span>
              <span className={`tag ${purchase.status.toLowerCase()}`}>
                {describeStatus(purchase.status, purchase.reason)}
              </span>
              <span className={purchase.email ? "email" : "email muted"}>
                {describeEmail(purchase.email)}
              </span>
              <time className="muted when" dateTime={purchase.createdAt}>
                {formatTime(purchase.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {total > purchases.length && (
        <p className="muted">
          The newest {purchases.length} of {total} purchases.
        </p>
      )}
    </section>
  );
}
