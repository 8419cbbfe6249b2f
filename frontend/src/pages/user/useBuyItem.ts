import type { Reference } from "@apollo/client";
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { BuyItemDocument } from "../../graphql/generated";
import { newIdempotencyKey } from "../../idempotencyKey";

type Item = { id: string; name: string };

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
          purchases(history: readonly Reference[] | null, { toReference }) {
            if (!history) return history; // a history the caller may not see stays unseen
            // An idempotent repeat returns a purchase the history already holds.
            if (history.some((ref) => cache.identify(ref) === bought)) return history;
            // The mutation's result is already in the cache, so the reference resolves.
            return [toReference(data.purchase)!, ...history];
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
