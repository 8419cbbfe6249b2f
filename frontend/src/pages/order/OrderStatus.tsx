import { describeEmail, describeOrderStatus } from "../../format";
import type { OrderDetailsFragment } from "../../graphql/generated";

/** Where the order stands, in words, then its email once the email worker has reported it; a
 * live region that stays in the page, so screen readers announce each change. */
export function OrderStatus({ order }: { order: OrderDetailsFragment }) {
  const awaitingPayment = order.status === "AWAITING_PAYMENT";
  return (
    <p className={`outcome order-status ${order.status.toLowerCase()}`} role="status">
      <strong>{describeOrderStatus(order)}</strong>
      <br />
      {awaitingPayment && "The payment is being checked…"}
      {!awaitingPayment &&
        (order.email
          ? `${capitalized(describeEmail(order.email))} to ${order.email.recipient}.`
          : "Waiting for the email…")}
    </p>
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
