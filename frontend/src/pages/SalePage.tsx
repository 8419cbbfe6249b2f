import { useQuery } from "@apollo/client/react";
import { Link, useParams } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { SaleDocument } from "../graphql/generated";
import { Countdown } from "./sale/Countdown";
import { SaleEntry } from "./sale/SaleEntry";
import { SaleSummary } from "./sale/SaleSummary";

/** One flash sale: what is sold, for how long, and the way in (the queue, then "Buy now"). */
export function SalePage() {
  const { id = "" } = useParams();
  const { data, loading, error, refetch } = useQuery(SaleDocument, {
    variables: { id },
    fetchPolicy: "cache-and-network",
  });

  let content;
  if (!data && loading) content = <Loading what="the sale" />;
  else if (error && !data?.sale) content = <ApiErrorMessage error={error} />;
  else if (!data?.sale) content = <p className="status">There is no sale with id {id}.</p>;
  else {
    const sale = data.sale;
    content = (
      <>
        <SaleSummary sale={sale} />
        {/* At the start or the end the sale's state changes: asked again then. */}
        <Countdown sale={sale} onElapsed={() => void refetch()} />
        <SaleEntry sale={sale} />
      </>
    );
  }

  return (
    <>
      <p>
        <Link to="/sales">← All flash sales</Link>
      </p>
      {content}
    </>
  );
}
