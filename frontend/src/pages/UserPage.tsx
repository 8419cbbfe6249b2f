import { gql, type TypedDocumentNode } from "@apollo/client";
import { useQuery } from "@apollo/client/react";
import { Link, useParams } from "react-router";
import { ApiErrorMessage, Loading } from "../components";

type UserData = {
  user: { id: string; firstName: string; lastName: string; email: string } | null;
};

export const USER_QUERY: TypedDocumentNode<UserData, { id: string }> = gql`
  query User($id: ID!) {
    user(id: $id) {
      id
      firstName
      lastName
      email
    }
  }
`;

export function UserPage() {
  const { id = "" } = useParams();
  const { data, loading, error } = useQuery(USER_QUERY, { variables: { id } });

  let content;
  if (loading) content = <Loading what="user" />;
  else if (error) content = <ApiErrorMessage error={error} />;
  else if (!data?.user) content = <p className="status">No user with id {id}.</p>;
  else
    content = (
      <>
        <h1>
          {data.user.firstName} {data.user.lastName}
        </h1>
        <p className="muted">{data.user.email}</p>
      </>
    );

  return (
    <>
      <p>
        <Link to="/">← All users</Link>
      </p>
      {content}
    </>
  );
}
