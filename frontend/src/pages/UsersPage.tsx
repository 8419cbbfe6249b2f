import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { UsersDocument, type UsersQuery } from "../graphql/generated";

type UserSummary = UsersQuery["users"][number];

export function UsersPage() {
  // cache-and-network: show what the cache has at once, and refresh purchases made meanwhile.
  const { data, loading, error } = useQuery(UsersDocument, { fetchPolicy: "cache-and-network" });

  if (!data && loading) return <Loading what="users" />;
  if (error) return <ApiErrorMessage error={error} />;
  if (!data?.users.length) return <p className="status">No users yet.</p>;

  return (
    <>
      <h1>Users</h1>
      <ul className="cards">
        {data.users.map((user) => (
          <li key={user.id}>
            <UserCard user={user} />
          </li>
        ))}
      </ul>
    </>
  );
}

function UserCard({ user }: { user: UserSummary }) {
  const count = user.purchases.length;
  // User.purchases is newest first.
  const lastItem = user.purchases[0]?.item.name;
  return (
    <Link to={`/users/${user.id}`} className="card">
      <span className="name">
        {user.firstName} {user.lastName}
      </span>
      <span className="muted">{user.email}</span>
      <span className="badge">
        {count} {count === 1 ? "purchase" : "purchases"}
        {lastItem && <span className="last-item">last: {lastItem}</span>}
      </span>
    </Link>
  );
}
