import { describePurchaseError } from "../../apiError";
import { describeEmail, describeStatus } from "../../format";
import type { PurchaseRowFragment } from "../../graphql/generated";

type Props = {
  itemInFlight: { name: string } | null;
  error: Error | undefined;
  purchase: PurchaseRowFragment | undefined;
};

/** What became of the last Buy click: in flight, failed, or its outcome and then its email. */
export function BuyOutcome({ itemInFlight, error, purchase }: Props) {
  if (error) {
    return (
      <p className="outcome error" role="alert">
        {describePurchaseError(error)}
      </p>
    );
  }
  // A live region that stays in the page, so screen readers announce each change in it.
  return (
    <p className="outcome" role="status">
      {itemInFlight && <>Buying {itemInFlight.name}…</>}
      {!itemInFlight && purchase && (
        <>
          <strong>
            {purchase.item.name}: purchase {describeStatus(purchase.status, purchase.reason)}
          </strong>
          {purchase.email
            ? ` — ${describeEmail(purchase.email)} to ${purchase.email.recipient}.`
            : " — waiting for the email…"}
        </>
      )}
    </p>
  );
}
