import { useSubscription } from "@apollo/client/react";
import { OrderUpdatedDocument } from "../../graphql/generated";

/** Follows one order until it is paid or cancelled and its email is reported. Each update lands
 * in the Apollo cache, where the order page reads the order; the subscription completes by itself. */
export function FollowOrder({ id }: { id: string }) {
  const { error } = useSubscription(OrderUpdatedDocument, { variables: { id } });
  if (!error) return null;
  return (
    <p className="status error" role="alert">
      Lost the live status of this order ({error.message}). Reload the page to see what became of it.
    </p>
  );
}

/** Whether there is nothing more to follow: paid or cancelled, and its email reported. */
export function isSettled(order: { status: string; email: unknown }): boolean {
  return order.status !== "AWAITING_PAYMENT" && order.email !== null;
}
