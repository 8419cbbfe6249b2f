import { useQuery } from "@apollo/client/react";
import { Link, useParams } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { UserPageDocument, type UserPageQuery } from "../graphql/generated";
import { BuyOutcome } from "./user/BuyOutcome";
import { FollowPurchase } from "./user/FollowPurchase";
import { ItemsForSale } from "./user/ItemsForSale";
import { PurchaseHistory } from "./user/PurchaseHistory";
import { useBuyItem } from "./user/useBuyItem";

export function UserPage() {
  const { id = "" } = useParams();
  // One request for the user, the items for sale and the history; cache-and-network so that a
  // return to the page shows the cached page at once and then what changed meanwhile.
  const { data, loading, error } = useQuery(UserPageDocument, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });

  let content;
  if (!data && loading) content = <Loading what="user" />;
  else if (error) content = <ApiErrorMessage error={error} />;
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
  const { buy, itemInFlight, error, lastPurchaseId } = useBuyItem(user.id);
  const lastPurchase = user.purchases.find((purchase) => purchase.id === lastPurchaseId);
  const awaitingEmail = user.purchases.filter((purchase) => !purchase.email);

  return (
    <>
      <h1>
        {user.firstName} {user.lastName}
      </h1>
      <p className="muted">{user.email}</p>
      <BuyOutcome itemInFlight={itemInFlight} error={error} purchase={lastPurchase} />
      <ItemsForSale items={items} onBuy={buy} disabled={itemInFlight !== null} />
      <PurchaseHistory purchases={user.purchases} />
      {awaitingEmail.map((purchase) => (
        <FollowPurchase key={purchase.id} id={purchase.id} />
      ))}
    </>
  );
}
