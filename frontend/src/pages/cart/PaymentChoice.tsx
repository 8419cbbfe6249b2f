import type { PaymentInput } from "../../graphql/generated";

// The payment worker's test cards (CONTRACT-17: PAYMENT_DECLINED_CARDS' default).
export const TEST_CARD = "4242424242424242";
export const DECLINED_TEST_CARD = "4000000000000002";

export type Payment = { method: "CARD" | "CRYPTO"; card: string };

/** What the checkout sends, or why it cannot: a card number is 12 to 19 digits (spaces allowed). */
export function paymentInput(payment: Payment): PaymentInput | { problem: string } {
  if (payment.method === "CRYPTO") return { method: "CRYPTO", card: null };
  const card = payment.card.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(card)) return { problem: "A card number is 12 to 19 digits." };
  return { method: "CARD", card };
}

type Props = { payment: Payment; onChange: (payment: Payment) => void; disabled: boolean };

export function PaymentChoice({ payment, onChange, disabled }: Props) {
  return (
    <fieldset className="payment" disabled={disabled}>
      <legend>Payment</legend>
      <label className="choice">
        <input
          type="radio"
          name="payment-method"
          checked={payment.method === "CARD"}
          onChange={() => onChange({ ...payment, method: "CARD" })}
        />
        Card
      </label>
      <label className="choice">
        <input
          type="radio"
          name="payment-method"
          checked={payment.method === "CRYPTO"}
          onChange={() => onChange({ ...payment, method: "CRYPTO" })}
        />
        Crypto (not accepted yet)
      </label>
      {payment.method === "CARD" && (
        <label className="card-number">
          Card number
          <input
            inputMode="numeric"
            autoComplete="cc-number"
            aria-describedby="test-cards"
            value={payment.card}
            onChange={(event) => onChange({ ...payment, card: event.target.value })}
          />
        </label>
      )}
      {payment.method === "CARD" && (
        <p id="test-cards" className="muted hint">
          A test shop: {TEST_CARD} is accepted, {DECLINED_TEST_CARD} is declined.
        </p>
      )}
    </fieldset>
  );
}
