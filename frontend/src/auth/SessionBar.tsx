import { useQuery } from "@apollo/client/react";
import { Link, useNavigate } from "react-router";
import { MeDocument } from "../graphql/generated";
import { useAuth } from "./AuthProvider";

/** The header's right side: who is signed in, and the way in or out. */
export function SessionBar() {
  const { session, restoring, signOut } = useAuth();
  const navigate = useNavigate();
  const { data } = useQuery(MeDocument, { skip: !session });

  if (restoring) return null;
  if (!session) {
    return (
      <nav className="session" aria-label="Session">
        <Link to="/sign-in">Sign in</Link>
      </nav>
    );
  }
  const name = data?.me ? `${data.me.firstName} ${data.me.lastName}`.trim() : "…";
  return (
    <nav className="session" aria-label="Session">
      <span>
        Signed in as <Link to={`/users/${session.userId}`}>{name}</Link>
        {session.role === "admin" && <span className="tag">admin</span>}
      </span>
      <button
        type="button"
        onClick={() => {
          void signOut().then(() => navigate("/"));
        }}
      >
        Sign out
      </button>
    </nav>
  );
}
