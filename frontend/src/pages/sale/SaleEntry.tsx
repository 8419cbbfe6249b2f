import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Link } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { EnterSaleDocument, type SaleDetailsFragment, type TicketDetailsFragment } from "../../graphql/generated";
import { describeSaleError } from "../../sale/describeSale";
import { forgetQueueToken, keepQueueToken, readQueueToken } from "../../sale/queueTokenStorage";
import { WaitingRoom } from "./WaitingRoom";

/** The way into a sale: a sign-in prompt, the "Enter the queue" button while it is open, or the
 * waiting room of the place taken (kept for the tab's session, so a reload comes back to it). */
export function SaleEntry({ sale }: { sale: SaleDetailsFragment }) {
  const { session } = useAuth();
  if (!session) {
    return (
      <p className="status">
        <Link to="/sign-in">Sign in</Link> to enter the queue of this sale.
      </p>
    );
  }
  // keyed by user: another user signed in starts without the previous one's place
  return <SignedInEntry key={session.userId} sale={sale} userId={session.userId} />;
}

function SignedInEntry({ sale, userId }: { sale: SaleDetailsFragment; userId: string }) {
  const [queueToken, setQueueToken] = useState(() => readQueueToken(userId, sale.id));
  const [entered, setEntered] = useState<TicketDetailsFragment | undefined>(undefined);
  const [enter, { loading, error }] = useMutation(EnterSaleDocument);

  async function enterQueue() {
    const done = await enter({ variables: { saleId: sale.id } }).catch(() => null);
    const ticket = done?.data?.enterSale;
    if (!ticket) return; // the error says why
    keepQueueToken(userId, sale.id, ticket.queueToken);
    setEntered(ticket);
    setQueueToken(ticket.queueToken);
  }

  function leave() {
    forgetQueueToken(userId, sale.id);
    setEntered(undefined);
    setQueueToken(null);
  }

  if (queueToken) return <WaitingRoom queueToken={queueToken} entered={entered} onLeave={leave} />;
  return (
    <>
      {sale.state === "OPEN" && (
        <button type="button" disabled={loading} onClick={() => void enterQueue()}>
          {loading ? "Entering the queue…" : "Enter the queue"}
        </button>
      )}
      {sale.state === "UPCOMING" && <p className="status">The queue opens when the sale starts.</p>}
      {sale.state === "SOLD_OUT" && <p className="status">Sold out: every unit has gone.</p>}
      {sale.state === "OVER" && <p className="status">This sale is over.</p>}
      {error && (
        <p className="outcome error" role="alert">
          {describeSaleError(error)}
        </p>
      )}
    </>
  );
}
