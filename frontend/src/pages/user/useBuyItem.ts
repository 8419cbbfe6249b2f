import type { Reference } from "@apollo/client";
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { BuyItemDocument } from "../../graphql/generated";
import { newIdempotencyKey } from "../../idempotencyKey";

type Item = { id: string; name: string };
// A page of the history as the cache holds it (every `purchases(first: …)` of the user).
type PurchasePage = {
  totalCount: number;
  edges: readonly { __typename: string; cursor: string; node: Reference }[];
};

/** Buys items for one user: one purchase at a time, each new purchase put at the top of the
 * user's cached history (newest first, as the API orders it), so every page showing it updates. */
export function useBuyItem(userId: string) {
  const [itemInFlight, setItemInFlight] = useState<Item | null>(null);
  const [lastPurchaseId, setLastPurchaseId] = useState<string | null>(null);
  const [purchase, { error }] = useMutation(BuyItemDocument, {
    update(cache, { data }) {
      if (!data) return;
      const bought = cache.identify(data.purchase);
      cache.modify({
        id: cache.identify({ __typename: "User", id: userId }),
        fields: {
          purchases(cached, { toReference, isReference }) {
            // A history the caller may not see stays unseen.
            if (!cached || isReference(cached)) return cached;
            const history = cached as unknown as PurchasePage;
            // An idempotent repeat returns a purchase the history already holds.
            if (history.edges.some((edge) => cache.identify(edge.node) === bought)) return history;
            // The mutation's result is already in the cache, so the reference resolves.
            const edge = { __typename: "PurchaseEdge", cursor: "", node: toReference(data.purchase)! };
            const edges = [edge, ...history.edges];
            return { ...history, totalCount: history.totalCount + 1, edges } as unknown as typeof cached;
          },
        },
      });
    },
  });

  async function buy(item: Item) {
    setItemInFlight(item);
    setLastPurchaseId(null);
    try {
      const { data } = await purchase({
        variables: { userId, itemId: item.id, idempotencyKey: newIdempotencyKey() },
      });
      setLastPurchaseId(data?.purchase.id ?? null);
    } catch {
      // The failure is rendered from `error`.
    } finally {
      setItemInFlight(null);
    }
  }

  return { buy, itemInFlight, error, lastPurchaseId };
}
