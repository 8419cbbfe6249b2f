import { useQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { describeCheckoutError, shortItemIds } from "../apiError";
import { useAuth } from "../auth/AuthProvider";
import type { CartLine } from "../cart/cart";
import { useCart } from "../cart/useCart";
import { ApiErrorMessage, Loading } from "../components";
import { CurrencySwitch } from "../currency/CurrencySwitch";
import { USD, useCurrency } from "../currency/currencyStorage";
import { QuoteProblem } from "../currency/Price";
import { usePricesIn } from "../currency/usePricesIn";
import { CartPageDocument, type CartPageQuery } from "../graphql/generated";
import { CartLines, type ShownLine } from "./cart/CartLines";
import { CartTotal } from "./cart/CartTotal";
import { CARD_PAYMENT, PaymentChoice, paymentInput, type Payment } from "./cart/PaymentChoice";
import { useCheckout } from "./cart/useCheckout";

export function CartPage() {
  const { id = "" } = useParams();
  // The items on sale now: the cart shows their current prices and which are no longer sold.
  const { data, loading, error } = useQuery(CartPageDocument, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });

  let content;
  if (!data && loading) content = <Loading what="the cart" />;
  else if (error && !data) content = <ApiErrorMessage error={error} />;
  else if (!data?.user) content = <p className="status">There is no user with id {id}.</p>;
  else content = <Cart user={data.user} itemsOnSale={data.items} />;

  return (
    <>
      <p>
        <Link to={`/users/${id}`}>← Back to the shop</Link>
      </p>
      {content}
    </>
  );
}

type CartProps = {
  user: NonNullable<CartPageQuery["user"]>;
  itemsOnSale: CartPageQuery["items"];
};

function Cart({ user, itemsOnSale }: CartProps) {
  const { session } = useAuth();
  const navigate = useNavigate();
  const cart = useCart(user.id);
  const [currency] = useCurrency();
  const inToken = usePricesIn(currency);
  const [payment, setPayment] = useState<Payment>(CARD_PAYMENT);
  const [problem, setProblem] = useState<string | null>(null);
  const { checkout, checkingOut, error } = useCheckout(user.id);
  // Signed in, one checks out as oneself (an admin for anyone); the API refuses the rest anyway.
  const someoneElse = session !== null && session.role !== "admin" && session.userId !== user.id;

  const lines = shownLines(cart.lines, itemsOnSale, shortItemIds(error));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = paymentInput(payment);
    if ("problem" in input) return setProblem(input.problem);
    setProblem(null);
    const order = await checkout(cart.lines, input);
    if (!order) return; // the cart is kept; the error says why
    cart.empty();
    void navigate(`/orders/${order.id}`);
  }

  const nameOf = (itemId: string) => cart.lines.find((line) => line.itemId === itemId)?.name;
  return (
    <section aria-labelledby="cart-heading">
      <h1 id="cart-heading">
        Cart of {user.firstName} {user.lastName}
      </h1>
      {someoneElse && (
        <p className="status notice">
          You are signed in as someone else: you check out from{" "}
          <Link to={`/users/${session.userId}/cart`}>your own cart</Link>.
        </p>
      )}
      {lines.length === 0 ? (
        <p className="status">
          The cart is empty: add items on <Link to={`/users/${user.id}`}>the shop's page</Link>.
        </p>
      ) : (
        <form className="checkout" onSubmit={(event) => void submit(event)}>
          <CurrencySwitch />
          <QuoteProblem problem={inToken.problem} />
          <CartLines
            prices={inToken.prices}
            lines={lines}
            onQuantity={cart.setQuantity}
            onRemove={cart.remove}
            disabled={checkingOut}
          />
          <CartTotal lines={lines} inToken={inToken} />
          <PaymentChoice
            payment={payment}
            onChange={setPayment}
            disabled={checkingOut}
            lines={lines}
            preferredToken={currency === USD ? "" : currency}
          />
          <button type="submit" disabled={checkingOut || someoneElse}>
            {checkingOut ? "Checking out…" : "Check out"}
          </button>
        </form>
      )}
      <CheckoutOutcome checkingOut={checkingOut} problem={problem} error={error} nameOf={nameOf} />
    </section>
  );
}

/** The cart's lines with the shop's current price and stock of each, and the short ones marked. */
function shownLines(
  lines: readonly CartLine[],
  itemsOnSale: CartPageQuery["items"],
  shortIds: readonly string[],
): ShownLine[] {
  return lines.map((line) => {
    const item = itemsOnSale.find((candidate) => candidate.id === line.itemId);
    return {
      ...line,
      name: item?.name ?? line.name,
      unitPrice: item?.price ?? line.unitPrice,
      onSale: item !== undefined,
      left: item?.quantity ?? null,
      short: shortIds.includes(line.itemId),
    };
  });
}

type OutcomeProps = {
  checkingOut: boolean;
  problem: string | null;
  error: Error | undefined;
  nameOf: (itemId: string) => string | undefined;
};

function CheckoutOutcome({ checkingOut, problem, error, nameOf }: OutcomeProps) {
  const failure = problem ?? (error ? describeCheckoutError(error, nameOf) : null);
  if (!checkingOut && failure) {
    return (
      <p className="outcome error" role="alert">
        {failure}
      </p>
    );
  }
  return (
    <p className="outcome" role="status">
      {checkingOut && "Placing the order…"}
    </p>
  );
}
