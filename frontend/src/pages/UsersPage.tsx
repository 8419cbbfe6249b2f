import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { UsersDocument, type UsersQuery } from "../graphql/generated";

type UserSummary = UsersQuery["users"]["edges"][number]["node"];

export const USERS_PER_PAGE = 20;

export function UsersPage() {
  // The cursors of the pages before this one, so "Previous" goes back; "Next" follows endCursor.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  // cache-and-network: show what the cache has at once, and refresh purchases made meanwhile.
  // errorPolicy all: in signed-in mode other users' purchases come back null with a FORBIDDEN
  // (or UNAUTHENTICATED) error each; the page shows what it may.
  const { data, loading, error } = useQuery(UsersDocument, {
    variables: { first: USERS_PER_PAGE, after },
    fetchPolicy: "cache-and-network",
    errorPolicy: "all",
  });

  if (!data && loading) return <Loading what="users" />;
  if (error && !data?.users) return <ApiErrorMessage error={error} />;
  if (!data?.users?.edges.length) return <p className="status">No users yet.</p>;
  const page = data.users;

  return (
    <>
      <h1>Users</h1>
      <ul className="cards">
        {page.edges.map(({ node: user }) => (
          <li key={user.id}>
            <UserCard user={user} />
          </li>
        ))}
      </ul>
      <Pager
        hasPrevious={cursors.length > 1}
        hasNext={page.pageInfo.hasNextPage}
        onPrevious={() => setCursors(cursors.slice(0, -1))}
        onNext={() => setCursors([...cursors, page.pageInfo.endCursor])}
        label={`${page.totalCount} users`}
      />
    </>
  );
}

type PagerProps = {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label: string;
};

export function Pager({ hasPrevious, hasNext, onPrevious, onNext, label }: PagerProps) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label="pages">
      <button type="button" disabled={!hasPrevious} onClick={onPrevious}>
        ← Previous
      </button>
      <span className="muted">{label}</span>
      <button type="button" disabled={!hasNext} onClick={onNext}>
        Next →
      </button>
    </nav>
  );
}

function UserCard({ user }: { user: UserSummary }) {
  // User.purchases is newest first; null when the caller may not see them (signed-in mode).
  const purchases = user.purchases;
  const count = purchases?.totalCount ?? 0;
  const lastItem = purchases?.edges[0]?.node.item.name;
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
