import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { describeOrderStatus, formatPrice, formatTime } from "../format";
import { UserOrdersDocument, type OrderDetailsFragment, type UserOrdersQuery } from "../graphql/generated";
import { Pager } from "./UsersPage";

export const ORDERS_PER_PAGE = 10;

/** A user's orders, newest first, a page at a time; each links to its order page. */
export function UserOrdersPage() {
  const { id = "" } = useParams();
  // Another user's orders start at their first page.
  return <UserOrders key={id} id={id} />;
}

function UserOrders({ id }: { id: string }) {
  // The cursors of the pages before this one, so "Previous" goes back; "Next" follows endCursor.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  // errorPolicy all: in signed-in mode someone else's orders come back null with a FORBIDDEN
  // (or UNAUTHENTICATED) error, while the user's name is shown.
  const { data, loading, error } = useQuery(UserOrdersDocument, {
    variables: { id, first: ORDERS_PER_PAGE, after },
    fetchPolicy: "cache-and-network",
    errorPolicy: "all",
  });

  let content;
  if (!data && loading) content = <Loading what="orders" />;
  else if (error && !data?.user) content = <ApiErrorMessage error={error} />;
  else if (!data?.user) content = <p className="status">There is no user with id {id}.</p>;
  else {
    const { user } = data;
    content = (
      <>
        <h1>
          Orders of {user.firstName} {user.lastName}
        </h1>
        {user.orders ? (
          <OrderList
            userId={user.id}
            orders={user.orders}
            hasPrevious={cursors.length > 1}
            onPrevious={() => setCursors(cursors.slice(0, -1))}
            onNext={(cursor) => setCursors([...cursors, cursor])}
          />
        ) : (
          <p className="status">These orders are private: sign in as their owner to see them.</p>
        )}
      </>
    );
  }

  return (
    <>
      <p>
        <Link to={`/users/${id}`}>← Back to the shop</Link>
      </p>
      {content}
    </>
  );
}

type OrderListProps = {
  userId: string;
  orders: NonNullable<NonNullable<UserOrdersQuery["user"]>["orders"]>;
  hasPrevious: boolean;
  onPrevious: () => void;
  onNext: (cursor: string | null) => void;
};

function OrderList({ userId, orders, hasPrevious, onPrevious, onNext }: OrderListProps) {
  if (orders.edges.length === 0 && !hasPrevious) {
    return (
      <p className="status">
        No orders yet: fill <Link to={`/users/${userId}/cart`}>the cart</Link> and check out.
      </p>
    );
  }
  return (
    <>
      <ul className="cards">
        {orders.edges.map(({ node: order }) => (
          <li key={order.id}>
            <OrderCard order={order} />
          </li>
        ))}
      </ul>
      <Pager
        hasPrevious={hasPrevious}
        hasNext={orders.pageInfo.hasNextPage}
        onPrevious={onPrevious}
        onNext={() => onNext(orders.pageInfo.endCursor)}
        label={`${orders.totalCount} ${orders.totalCount === 1 ? "order" : "orders"}`}
      />
    </>
  );
}

function OrderCard({ order }: { order: OrderDetailsFragment }) {
  const items = order.lines.map((line) => `${line.quantity} × ${line.item.name}`).join(", ");
  return (
    <Link to={`/orders/${order.id}`} className="card">
      <span className="name">{items}</span>
      <time className="muted" dateTime={order.placedAt}>
        {formatTime(order.placedAt)}
      </time>
      <span className="badge">
        {formatPrice(order.total)}
        <span className={`order-state ${order.status.toLowerCase()}`}>{describeOrderStatus(order)}</span>
      </span>
    </Link>
  );
}
