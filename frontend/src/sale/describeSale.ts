import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { describeAccessError, describeApiError } from "../apiError";
import type { SaleState } from "../graphql/generated";

const STATES: Record<SaleState, string> = {
  UPCOMING: "upcoming",
  OPEN: "open",
  SOLD_OUT: "sold out",
  OVER: "over",
};

export function describeSaleState(state: SaleState): string {
  return STATES[state];
}

/** Why entering the queue or buying with a ticket did not work, in the API's own sentence (not
 * open yet, queue full, sold out, used before, expired…); rate limits and the network as elsewhere. */
export function describeSaleError(error: Error): string {
  if (!CombinedGraphQLErrors.is(error)) return describeApiError(error);
  const extensions = error.errors.map((e) => e.extensions ?? {});
  if (extensions.some((e) => e.code === "RATE_LIMITED")) return describeAccessError(extensions) ?? "";
  return error.errors.map((e) => e.message).join("; ");
}
