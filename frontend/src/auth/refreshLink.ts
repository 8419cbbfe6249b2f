import { ApolloLink } from "@apollo/client";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { ErrorLink } from "@apollo/client/link/error";
import { from, switchMap } from "rxjs";

/** An access token that expired meanwhile (a laptop waking up): refresh once and ask again. A
 * refused request changed nothing, so asking again is safe (a purchase keeps its idempotency
 * key). Anonymous callers, and a second refusal, get the error as it is. */
export function refreshOnceLink(
  hasSession: () => boolean,
  refresh: () => Promise<unknown>,
): ApolloLink {
  return new ErrorLink(({ error, operation, forward }) => {
    const expired =
      CombinedGraphQLErrors.is(error) &&
      error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
    if (!expired || !hasSession() || operation.getContext().refreshed) return;
    operation.setContext({ refreshed: true });
    return from(refresh()).pipe(switchMap(() => forward(operation)));
  });
}
