import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { UsersDocument, type UsersQuery } from "../graphql/generated";

type UserSummary = UsersQuery["users"][number];

export function UsersPage() {
  // cache-and-network: show what the cache has at once, and refresh purchases made meanwhile.
  // errorPolicy all: in signed-in mode other users' purchases come back null with a FORBIDDEN
  // (or UNAUTHENTICATED) error each; the page shows what it may.
  const { data, loading, error } = useQuery(UsersDocument, {
    fetchPolicy: "cache-and-network",
    errorPolicy: "all",
  });

  if (!data && loading) return <Loading what="users" />;
  if (error && !data?.users) return <ApiErrorMessage error={error} />;
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
  // User.purchases is newest first; null when the caller may not see them (signed-in mode).
  const purchases = user.purchases;
  const count = purchases?.length ?? 0;
  const lastItem = purchases?.[0]?.item.name;
  return (
    <Link to={`/users/${user.id}`} className="card">
      <span className="name">
        {user.firstName} {user.lastName}
      </span>
      <span className="muted">{user.email ?? "email private"}</span>
      {purchases ? (
        <span className="badge">
          {count} {count === 1 ? "purchase" : "purchases"}
          {lastItem && <span className="last-item">last: {lastItem}</span>}
        </span>
      ) : (
        <span className="badge muted">purchases private</span>
      )}
    </Link>
  );
}
