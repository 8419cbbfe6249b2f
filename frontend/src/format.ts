import type { EmailKind, PurchaseStatus } from "./graphql/generated";

export function formatPrice(price: number): string {
  return price.toFixed(2);
}

export function formatTime(isoDateTime: string): string {
  return new Date(isoDateTime).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function describeStatus(status: PurchaseStatus): string {
  return status === "SUCCEEDED" ? "succeeded" : "rejected";
}

/** The words the browser test and the shopper look for once the email worker has reported. */
export function describeEmail(email: { kind: EmailKind } | null): string {
  if (!email) return "email pending…";
  return email.kind === "CONFIRMATION" ? "confirmation email sent" : "rejection email sent";
}
