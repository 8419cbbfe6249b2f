import type { CartLine } from "../../cart/cart";
import type { PaymentInput } from "../../graphql/generated";
import { CryptoPayment } from "./CryptoPayment";

// The payment worker's test cards (CONTRACT-17: PAYMENT_DECLINED_CARDS' default).
export const TEST_CARD = "4242424242424242";
export const DECLINED_TEST_CARD = "4000000000000002";

/** What the shopper chose: a card, or a transaction of `symbol` whose hash is `txHash`. */
export type Payment = { method: "CARD" | "CRYPTO"; card: string; symbol: string; txHash: string };

export const CARD_PAYMENT: Payment = { method: "CARD", card: TEST_CARD, symbol: "", txHash: "" };

/** What the checkout sends, or why it cannot: a card number is 12 to 19 digits (spaces allowed);
 * a crypto payment names its token and its transaction's hash. */
export function paymentInput(payment: Payment): PaymentInput | { problem: string } {
  if (payment.method === "CRYPTO") {
    if (!payment.symbol) return { problem: "Choose the token you pay in." };
    const txHash = payment.txHash.trim();
    if (!txHash) return { problem: "Enter the transaction's hash (or make a test transaction)." };
    return { method: "CRYPTO", symbol: payment.symbol, txHash };
  }
  const card = payment.card.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(card)) return { problem: "A card number is 12 to 19 digits." };
  return { method: "CARD", card };
}

type Props = {
  payment: Payment;
  onChange: (payment: Payment) => void;
  disabled: boolean;
  /** What is paid for: the crypto payment's amount due is theirs in the token. */
  lines: readonly CartLine[];
  /** The token a crypto payment starts with (the currency prices are shown in), or "". */
  preferredToken: string;
};

export function PaymentChoice({ payment, onChange, disabled, lines, preferredToken }: Props) {
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
          onChange={() => onChange({ ...payment, method: "CRYPTO", symbol: payment.symbol || preferredToken })}
        />
        Crypto
      </label>
      {payment.method === "CARD" ? (
        <CardNumber payment={payment} onChange={onChange} />
      ) : (
        <CryptoPayment payment={payment} onChange={onChange} lines={lines} disabled={disabled} />
      )}
    </fieldset>
  );
}

function CardNumber({ payment, onChange }: Pick<Props, "payment" | "onChange">) {
  return (
    <>
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
      <p id="test-cards" className="muted hint">
        A test shop: {TEST_CARD} is accepted, {DECLINED_TEST_CARD} is declined.
      </p>
    </>
  );
}
