import { gql, type TypedDocumentNode } from "@apollo/client";
import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { ApiErrorMessage, Loading } from "../components";

type UsersData = {
  users: {
    id: string;
    firstName: string;
    lastName: string;
    email: string;
    purchases: { id: string; item: { name: string } }[];
  }[];
};

// One query through the router: users come from the users subgraph, purchases from purchases.
export const USERS_QUERY: TypedDocumentNode<UsersData> = gql`
  query Users {
    users {
      id
      firstName
      lastName
      email
      purchases {
        id
        item {
          name
        }
      }
    }
  }
`;

export function UsersPage() {
  const { data, loading, error } = useQuery(USERS_QUERY);

  if (loading) return <Loading what="users" />;
  if (error) return <ApiErrorMessage error={error} />;
  if (!data?.users.length) return <p className="status">No users yet.</p>;

  return (
    <>
      <h1>Users</h1>
      <ul className="cards">
        {data.users.map((user) => (
          <li key={user.id}>
            <Link to={`/users/${user.id}`} className="card">
              <span className="name">
                {user.firstName} {user.lastName}
              </span>
              <span className="muted">{user.email}</span>
              <span className="badge">
                {user.purchases.length} {user.purchases.length === 1 ? "purchase" : "purchases"}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
