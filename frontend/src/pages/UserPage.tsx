import { useQuery } from "@apollo/client/react";
import { Link, useParams } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import { ApiErrorMessage, Loading } from "../components";
import { CurrencySwitch } from "../currency/CurrencySwitch";
import { QuoteProblem } from "../currency/Price";
import { useChosenPrices } from "../currency/usePricesIn";
import { UserPageDocument, type UserPageQuery } from "../graphql/generated";
import { useCart } from "../cart/useCart";
import { BuyOutcome } from "./user/BuyOutcome";
import { FollowPurchase } from "./user/FollowPurchase";
import { ItemsForSale } from "./user/ItemsForSale";
import { PurchaseHistory } from "./user/PurchaseHistory";
import { ShoppingLinks } from "./user/ShoppingLinks";
import { useBuyItem } from "./user/useBuyItem";

export function UserPage() {
  const { id = "" } = useParams();
  // One request for the user, the items for sale and the history; cache-and-network so that a
  // return to the page shows the cached page at once and then what changed meanwhile.
  const { data, loading, error } = useQuery(UserPageDocument, {
    variables: { id },
    fetchPolicy: "cache-and-network",
    // The history may be refused (signed-in mode, someone else's) while the rest is shown.
    errorPolicy: "all",
  });

  let content;
  if (!data && loading) content = <Loading what="user" />;
  else if (error && !data?.user) content = <ApiErrorMessage error={error} />;
  else if (!data?.user) content = <p className="status">There is no user with id {id}.</p>;
  else content = <UserShop user={data.user} items={data.items} />;

  return (
    <>
      <p>
        <Link to="/">← All users</Link>
      </p>
      {content}
    </>
  );
}

type UserShopProps = {
  user: NonNullable<UserPageQuery["user"]>;
  items: UserPageQuery["items"];
};

function UserShop({ user, items }: UserShopProps) {
  const { session } = useAuth();
  const { buy, itemInFlight, error, lastPurchaseId } = useBuyItem(user.id);
  const cart = useCart(user.id);
  const { prices, problem } = useChosenPrices();
  const purchases = user.purchases?.edges.map((edge) => edge.node) ?? [];
  const lastPurchase = purchases.find((purchase) => purchase.id === lastPurchaseId);
  const awaitingEmail = purchases.filter((purchase) => !purchase.email);
  // Signed in, one buys as oneself (an admin for anyone); the API refuses the rest anyway.
  const someoneElse = session !== null && session.role !== "admin" && session.userId !== user.id;

  return (
    <>
      <h1>
        {user.firstName} {user.lastName}
      </h1>
      {user.email && <p className="muted">{user.email}</p>}
      <ShoppingLinks userId={user.id} inCart={cart.count} />
      {someoneElse && (
        <p className="status notice">
          You are signed in as someone else: you buy on{" "}
          <Link to={`/users/${session.userId}`}>your own page</Link>.
        </p>
      )}
      <BuyOutcome itemInFlight={itemInFlight} error={error} purchase={lastPurchase} />
      <CurrencySwitch />
      <QuoteProblem problem={problem} />
      <ItemsForSale
        prices={prices}
        items={items}
        onBuy={buy}
        onAddToCart={cart.add}
        disabled={itemInFlight !== null || someoneElse}
      />
      {user.purchases ? (
        <PurchaseHistory purchases={purchases} total={user.purchases.totalCount} />
      ) : (
        <p className="status">This purchase history is private: sign in as its owner to see it.</p>
      )}
      {awaitingEmail.map((purchase) => (
        <FollowPurchase key={purchase.id} id={purchase.id} />
      ))}
    </>
  );
}
