import { describeEmail, describeStatus, formatPrice, formatTime } from "../../format";
import type { PurchaseRowFragment } from "../../graphql/generated";

export function PurchaseHistory({ purchases }: { purchases: readonly PurchaseRowFragment[] }) {
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
                {describeStatus(purchase.status)}
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
    </section>
  );
}
