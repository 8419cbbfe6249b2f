import { useMutation, useQuery } from "@apollo/client/react";
import { describeApiError } from "../../apiError";
import type { CartLine } from "../../cart/cart";
import { TokenOptions } from "../../currency/CurrencySwitch";
import { USD } from "../../currency/currencyStorage";
import { QuoteProblem } from "../../currency/Price";
import { amountDue, describeQuoteAge, formatTokenAmount } from "../../currency/tokenAmount";
import { usePricesIn } from "../../currency/usePricesIn";
import { CryptoCurrenciesDocument, MakeTestTransactionDocument } from "../../graphql/generated";
import type { Payment } from "./PaymentChoice";

type Props = {
  payment: Payment;
  onChange: (payment: Payment) => void;
  lines: readonly CartLine[];
  disabled: boolean;
};

/** Paying by transaction: the token, what the cart comes to in it, and the transaction's hash
 * (or a demo transaction made here, which fills it in). */
export function CryptoPayment({ payment, onChange, lines, disabled }: Props) {
  const { data } = useQuery(CryptoCurrenciesDocument);
  const tokens = data?.cryptoCurrencies ?? [];
  const token = tokens.find((candidate) => candidate.symbol === payment.symbol);
  const quote = usePricesIn(payment.symbol || USD);
  const due = amountDue(lines, quote.prices);

  return (
    <div className="crypto-payment">
      <label>
        Token{" "}
        <select
          value={payment.symbol}
          // A hash is for one token's transaction: another token needs another one.
          onChange={(event) => onChange({ ...payment, symbol: event.target.value, txHash: "" })}
        >
          <option value="">Choose a token</option>
          <TokenOptions tokens={tokens} />
        </select>
      </label>
      <QuoteProblem problem={quote.problem} then="Pay by card, or try again in a moment." />
      {token && due !== null && (
        <p className="amount-due">
          Amount due <strong>{formatTokenAmount(due, token.symbol)}</strong>
          {quote.quote && <span className="muted"> ({describeQuoteAge(quote.quote.ageSeconds)})</span>} to{" "}
          <code className="address">{token.address}</code>
          <br />
          <span className="muted hint">The order says what is due at checkout; pay at least that.</span>
        </p>
      )}
      <label className="tx-hash">
        Transaction hash
        <input
          spellCheck={false}
          autoComplete="off"
          value={payment.txHash}
          onChange={(event) => onChange({ ...payment, txHash: event.target.value })}
        />
      </label>
      {token && due !== null && (
        <TestTransaction
          symbol={token.symbol}
          amount={due}
          disabled={disabled}
          onMade={(hash) => onChange({ ...payment, txHash: hash })}
        />
      )}
    </div>
  );
}

type TestTransactionProps = {
  symbol: string;
  amount: number;
  disabled: boolean;
  onMade: (hash: string) => void;
};

/** The demo's simulated ledger: pays the amount due to the shop and hands back the hash. */
function TestTransaction({ symbol, amount, disabled, onMade }: TestTransactionProps) {
  const [make, { loading, error }] = useMutation(MakeTestTransactionDocument);

  async function pay() {
    const done = await make({ variables: { symbol, amount } }).catch(() => null);
    if (done?.data) onMade(done.data.makeTestTransaction.hash);
  }

  return (
    <>
      <button type="button" className="secondary" disabled={disabled || loading} onClick={() => void pay()}>
        {loading ? "Making a test transaction…" : "Make a test transaction"}
      </button>
      {error && (
        <p className="error" role="alert">
          No test transaction: {describeApiError(error)}
        </p>
      )}
    </>
  );
}
