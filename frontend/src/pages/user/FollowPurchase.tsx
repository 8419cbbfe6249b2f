import { useSubscription } from "@apollo/client/react";
import { PurchaseUpdatedDocument } from "../../graphql/generated";

/** Follows one purchase until the email worker reports its email. Each update lands in the Apollo
 * cache, where the history and the outcome read the purchase; the subscription completes by itself. */
export function FollowPurchase({ id }: { id: string }) {
  const { error } = useSubscription(PurchaseUpdatedDocument, { variables: { id } });
  if (!error) return null;
  return (
    <p className="status error" role="alert">
      Lost the live status of a purchase ({error.message}). Reload the page to see its email.
    </p>
  );
}
