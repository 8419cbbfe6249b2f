import type {
  EmailKind,
  OrderCancelReason,
  OrderStatus,
  PurchaseReason,
  PurchaseStatus,
} from "./graphql/generated";

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
  return EMAIL_SENT[email.kind];
}

const EMAIL_SENT: Record<EmailKind, string> = {
  CONFIRMATION: "confirmation email sent",
  REJECTION: "rejection email sent",
  ORDER_CONFIRMATION: "order confirmation email sent",
  ORDER_CANCELLATION: "cancellation email sent",
};

type OrderState = {
  status: OrderStatus;
  reason?: OrderCancelReason | null;
  paymentError?: string | null;
};

/** An order's state in words: "Awaiting payment", "Paid", "Cancelled: <why>". */
export function describeOrderStatus({ status, reason, paymentError }: OrderState): string {
  if (status === "AWAITING_PAYMENT") return "Awaiting payment";
  if (status === "PAID") return "Paid";
  if (reason === "PAYMENT_TIMEOUT") return "Cancelled: not paid in time";
  if (reason === "PAYMENT_FAILED") {
    return paymentError ? `Cancelled: payment failed (${paymentError})` : "Cancelled: payment failed";
  }
  return "Cancelled";
}
