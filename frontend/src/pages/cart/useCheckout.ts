import { useMutation } from "@apollo/client/react";
import { CheckoutDocument, type OrderDetailsFragment, type PaymentInput } from "../../graphql/generated";
import { newIdempotencyKey } from "../../idempotencyKey";
import type { CartLine } from "../../cart/cart";

/** Checks out one user's cart: the order placed (awaiting payment), or null with `error` set. */
export function useCheckout(userId: string) {
  const [placeOrder, { loading, error }] = useMutation(CheckoutDocument);

  async function checkout(lines: readonly CartLine[], payment: PaymentInput): Promise<OrderDetailsFragment | null> {
    try {
      const { data } = await placeOrder({
        variables: {
          userId,
          items: lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity })),
          payment,
          // A fresh key per click; the refresh link's retry of the same request keeps it.
          idempotencyKey: newIdempotencyKey(),
        },
      });
      return data?.checkout ?? null;
    } catch {
      // The failure is rendered from `error`.
      return null;
    }
  }

  return { checkout, checkingOut: loading, error };
}
