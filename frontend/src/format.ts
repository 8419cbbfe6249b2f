import type { EmailKind, PurchaseReason, PurchaseStatus } from "./graphql/generated";

export function formatPrice(price: number): string {
  return price.toFixed(2);
}

export function formatTime(isoDateTime: string): string {
  return new Date(isoDateTime).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function describeStatus(status: PurchaseStatus, reason?: PurchaseReason | null): string {
  if (status === "SUCCEEDED") return "succeeded";
  return reason === "OUT_OF_STOCK" ? "rejected: sold out" : "rejected";
}

/** What is left of an item: nothing to say when its stock is not counted. */
export function describeStock(quantity: number | null | undefined): string | null {
  if (quantity === null || quantity === undefined) return null;
  return quantity === 0 ? "sold out" : `${quantity} left`;
}

/** The words the browser test and the shopper look for once the email worker has reported. */
export function describeEmail(email: { kind: EmailKind } | null): string {
  if (!email) return "email pending…";
  return email.kind === "CONFIRMATION" ? "confirmation email sent" : "rejection email sent";
}
