import { useQuery, useSubscription } from "@apollo/client/react";
import { useEffect } from "react";
import { SaleTicketDocument, SaleTicketUpdatedDocument, type TicketDetailsFragment } from "../../graphql/generated";

// The fallback's pace when the live subscription failed.
export const TICKET_POLL_MS = 2000;

const MOVING: readonly string[] = ["WAITING", "READY"];

/** A queue place followed live (Subscription.saleTicket); if the subscription fails, asked
 * again every 2 s (Query.saleTicket) while it can still change. `error` only when both fail. */
export function useTicket(queueToken: string, entered?: TicketDetailsFragment) {
  const live = useSubscription(SaleTicketUpdatedDocument, { variables: { queueToken } });
  const polling = live.error !== undefined;
  const polled = useQuery(SaleTicketDocument, {
    variables: { queueToken },
    skip: !polling,
    fetchPolicy: "network-only",
  });
  // The newest answer first: the poll's, the subscription's last, what entering the queue gave.
  const ticket = polled.data?.saleTicket ?? live.data?.saleTicket ?? entered ?? null;
  const moving = ticket === null || MOVING.includes(ticket.status);
  const { startPolling, stopPolling, error } = polled;

  useEffect(() => {
    if (!polling) return;
    if (moving && !error) startPolling(TICKET_POLL_MS);
    else stopPolling();
  }, [polling, moving, error, startPolling, stopPolling]);

  return { ticket, error: polling ? error : undefined };
}
