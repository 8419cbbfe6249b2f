import { Link } from "react-router";
import type { TicketDetailsFragment } from "../../graphql/generated";
import { describeSaleError } from "../../sale/describeSale";
import { BuyNow } from "./BuyNow";
import { useTicket } from "./useTicket";

type Props = {
  queueToken: string;
  /** The ticket entering the queue gave, shown until the live one arrives. */
  entered?: TicketDetailsFragment;
  /** Give the place up (expired, or no longer valid): the sale can be entered again. */
  onLeave: () => void;
};

/** The place in the queue, live: the places ahead, then "Buy now" once it is this shopper's
 * turn, then the outcome. */
export function WaitingRoom({ queueToken, entered, onLeave }: Props) {
  const { ticket, error } = useTicket(queueToken, entered);

  if (error) {
    return (
      <>
        <p className="status error" role="alert">
          This place in the queue cannot be followed: {describeSaleError(error)}
        </p>
        <button type="button" className="secondary" onClick={onLeave}>
          Leave this place in the queue
        </button>
      </>
    );
  }
  return (
    <section aria-labelledby="waiting-room-heading" className="waiting-room">
      <h2 id="waiting-room-heading">Your place in the queue</h2>
      <TicketState ticket={ticket} onLeave={onLeave} />
    </section>
  );
}

function TicketState({ ticket, onLeave }: { ticket: TicketDetailsFragment | null; onLeave: () => void }) {
  if (!ticket) return <p className="status" role="status">Finding your place in the queue…</p>;
  switch (ticket.status) {
    case "WAITING":
      return (
        <p className="outcome" role="status">
          {ticket.position === 0
            ? "You are next: waiting for your turn…"
            : `${ticket.position} ${ticket.position === 1 ? "person" : "people"} ahead of you.`}
        </p>
      );
    case "READY":
      return <BuyNow purchaseToken={ticket.purchaseToken ?? ""} />;
    case "USED":
      return (
        <p className="outcome" role="status">
          You bought it: {ticket.order ? <Link to={`/orders/${ticket.order.id}`}>see your order</Link> : "your order is placed"}.
        </p>
      );
    case "SOLD_OUT":
      return (
        <p className="outcome error" role="status">
          Sold out: the last unit went to someone ahead of you.
        </p>
      );
    case "EXPIRED":
      return (
        <>
          <p className="outcome error" role="status">
            Your turn has expired: the unit held for you was released.
          </p>
          <button type="button" className="secondary" onClick={onLeave}>
            Back to the sale
          </button>
        </>
      );
  }
}
