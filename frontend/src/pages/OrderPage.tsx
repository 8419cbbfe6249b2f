import { useQuery } from "@apollo/client/react";
import { Link, useParams } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { formatTime } from "../format";
import { OrderDocument, type OrderDetailsFragment } from "../graphql/generated";
import { FollowOrder, isSettled } from "./order/FollowOrder";
import { OrderLines } from "./order/OrderLines";
import { OrderStatus } from "./order/OrderStatus";
import { RefillCart } from "./order/RefillCart";

/** One order, followed live from "Awaiting payment" to paid or cancelled and its email. */
export function OrderPage() {
  const { id = "" } = useParams();
  // Just after checkout the order is in the cache already: shown at once, then asked again.
  const { data, loading, error } = useQuery(OrderDocument, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });

  if (!data && loading) return <Loading what="the order" />;
  if (error && !data?.order) return <ApiErrorMessage error={error} />;
  if (!data?.order) return <p className="status">There is no order with id {id}.</p>;
  return <Order order={data.order} />;
}

function Order({ order }: { order: OrderDetailsFragment }) {
  const userId = order.user.id;
  return (
    <>
      <p className="links">
        <Link to={`/users/${userId}`}>← Back to the shop</Link>
        <Link to={`/users/${userId}/orders`}>All orders</Link>
      </p>
      <h1>Order</h1>
      <p className="muted">
        Placed <time dateTime={order.placedAt}>{formatTime(order.placedAt)}</time> · {order.id}
      </p>
      <OrderStatus order={order} />
      <OrderLines order={order} />
      {order.status === "CANCELLED" && <RefillCart order={order} />}
      {!isSettled(order) && <FollowOrder id={order.id} />}
    </>
  );
}
