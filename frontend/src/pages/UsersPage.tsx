import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { UsersDocument, type UsersQuery } from "../graphql/generated";

type UserSummary = UsersQuery["users"]["edges"][number]["node"];

export const USERS_PER_PAGE = 20;

export function UsersPage() {
  const { after, pagerFor } = useCursorPages();
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
      <Pager {...pagerFor(page.pageInfo, `${page.totalCount} users`)} />
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

/** A list's pages by cursor: the cursors of the pages before this one, so "Previous" goes back;
 * "Next" follows endCursor. `after` is the page to ask for; `pagerFor` gives the Pager's props. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const pagerFor = (pageInfo: { hasNextPage: boolean; endCursor?: string | null }, label: string): PagerProps => ({
    hasPrevious: cursors.length > 1,
    hasNext: pageInfo.hasNextPage,
    onPrevious: () => setCursors(cursors.slice(0, -1)),
    onNext: () => setCursors([...cursors, pageInfo.endCursor ?? null]),
    label,
  });
  return { after: cursors[cursors.length - 1], pagerFor };
}

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
