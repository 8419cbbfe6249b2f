import { useMutation } from "@apollo/client/react";
import { Link } from "react-router";
import { BuyWithTicketDocument } from "../../graphql/generated";
import { describeSaleError } from "../../sale/describeSale";

/** This shopper's turn: one unit held for them, bought at the sale price with a click. */
export function BuyNow({ purchaseToken }: { purchaseToken: string }) {
  const [buy, { data, loading, error }] = useMutation(BuyWithTicketDocument);
  const order = data?.buyWithTicket;

  if (order) {
    return (
      <p className="outcome" role="status">
        You bought it: <Link to={`/orders/${order.id}`}>see your order</Link>.
      </p>
    );
  }
  return (
    <>
      <p className="outcome" role="status">
        It is your turn: a unit is held for you.
      </p>
      <button
        type="button"
        disabled={loading}
        onClick={() => void buy({ variables: { purchaseToken } }).catch(() => null)}
      >
        {loading ? "Buying…" : "Buy now"}
      </button>
      {error && (
        <p className="outcome error" role="alert">
          {describeSaleError(error)}
        </p>
      )}
    </>
  );
}
