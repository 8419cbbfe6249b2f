import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { graphqlHttpUrl } from "./apollo";

/** A sentence a shopper can read, saying which side failed. */
export function describeApiError(error: Error): string {
  if (CombinedGraphQLErrors.is(error)) {
    const access = describeAccessError(error.errors.map((e) => e.extensions ?? {}));
    if (access) return access;
    const messages = error.errors.map((e) => e.message).join("; ");
    return `The shop's API answered with an error: ${messages}`;
  }
  if (ServerError.is(error)) {
    return `The shop's API answered with HTTP ${error.statusCode}.`;
  }
  // fetch rejects with a TypeError when nothing answers at the URL.
  return `Could not reach the shop's API at ${graphqlHttpUrl}. Is the router running?`;
}

/** Why a purchase did not happen; the API's error codes say whether trying again can help. */
export function describePurchaseError(error: Error): string {
  if (!CombinedGraphQLErrors.is(error)) return `Nothing was bought. ${describeApiError(error)}`;
  const codes = error.errors.map((e) => e.extensions?.code);
  const messages = error.errors.map((e) => e.message).join("; ");
  const access = describeAccessError(error.errors.map((e) => e.extensions ?? {}));
  if (access) return `Nothing was bought. ${access}`;
  if (codes.includes("NOT_FOUND")) return `Nothing was bought: ${messages}.`;
  if (codes.includes("SERVICE_UNAVAILABLE")) {
    return `Nothing was bought: ${messages}. Please try again in a moment.`;
  }
  return `Nothing was bought. ${describeApiError(error)}`;
}

type Extensions = { code?: unknown; retryAfter?: unknown };

/** 401 / 403 / 429 as the API's codes say them, or null for other errors. */
export function describeAccessError(extensions: readonly Extensions[]): string | null {
  const codes = extensions.map((e) => e.code);
  if (codes.includes("UNAUTHENTICATED")) {
    return "Please sign in (or sign in again: your session has ended).";
  }
  if (codes.includes("FORBIDDEN")) return "You may only do this for your own account.";
  const limited = extensions.find((e) => e.code === "RATE_LIMITED");
  if (limited) {
    const seconds = Number(limited.retryAfter ?? 60);
    return `Too many requests from here. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  }
  return null;
}

/** The ids of the items the checkout found short of stock (its CONFLICT's `shortItems`). */
export function shortItemIds(error: Error | undefined): string[] {
  if (!error || !CombinedGraphQLErrors.is(error)) return [];
  return error.errors.flatMap((e) => {
    const ids = e.extensions?.shortItems;
    return Array.isArray(ids) ? ids.map(String) : [];
  });
}

/** Why a checkout placed no order; `nameOf` names a short item from the cart. */
export function describeCheckoutError(error: Error, nameOf: (itemId: string) => string | undefined): string {
  if (!CombinedGraphQLErrors.is(error)) return `Nothing was ordered. ${describeApiError(error)}`;
  const access = describeAccessError(error.errors.map((e) => e.extensions ?? {}));
  if (access) return `Nothing was ordered. ${access}`;
  const short = shortItemIds(error);
  if (short.length) {
    const names = short.map((id) => nameOf(id) ?? `item ${id}`).join(", ");
    return `Nothing was ordered: not enough left of ${names}. Lower the quantity or remove it, then check out again.`;
  }
  const messages = error.errors.map((e) => e.message).join("; ");
  const codes = error.errors.map((e) => e.extensions?.code);
  if (codes.includes("CONFLICT")) {
    return `Nothing was ordered: ${messages}. Remove what is no longer for sale, then check out again.`;
  }
  if (codes.includes("NOT_FOUND") || codes.includes("BAD_USER_INPUT")) {
    return `Nothing was ordered: ${messages}.`;
  }
  if (codes.includes("SERVICE_UNAVAILABLE")) {
    return `Nothing was ordered: ${messages}. Please try again in a moment.`;
  }
  return `Nothing was ordered. ${describeApiError(error)}`;
}
