import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { ApiErrorMessage, Loading } from "../components";
import { formatPrice, formatTime } from "../format";
import { SalesDocument, type SaleDetailsFragment } from "../graphql/generated";
import { describeSaleState } from "../sale/describeSale";
import { Pager, useCursorPages } from "./UsersPage";

export const SALES_PER_PAGE = 20;

/** The flash sales, newest first, a page at a time. */
export function SalesPage() {
  const { after, pagerFor } = useCursorPages();
  const { data, loading, error } = useQuery(SalesDocument, {
    variables: { first: SALES_PER_PAGE, after },
    fetchPolicy: "cache-and-network",
  });

  let content;
  if (!data && loading) content = <Loading what="the sales" />;
  else if (!data) content = error ? <ApiErrorMessage error={error} /> : null;
  else if (data.sales.edges.length === 0) content = <p className="status">No flash sales yet.</p>;
  else {
    const page = data.sales;
    content = (
      <>
        <ul className="rows">
          {page.edges.map(({ node }) => (
            <li key={node.id} className="row sale-row">
              <SaleRow sale={node} />
            </li>
          ))}
        </ul>
        <Pager {...pagerFor(page.pageInfo, `${page.totalCount} sales`)} />
      </>
    );
  }

  return (
    <>
      <h1>Flash sales</h1>
      {content}
    </>
  );
}

function SaleRow({ sale }: { sale: SaleDetailsFragment }) {
  return (
    <>
      <Link to={`/sales/${sale.id}`} className="name">
        {sale.item.name}
      </Link>
      <span className="price">
        {formatPrice(sale.price)}{" "}
        <span className="muted">
          instead of <s>{formatPrice(sale.item.price)}</s>
        </span>
      </span>
      <span className={`tag sale-state ${sale.state.toLowerCase()}`}>{describeSaleState(sale.state)}</span>
      <span className="muted left">
        {sale.unitsLeft} of {sale.units} left
      </span>
      <time className="muted when" dateTime={sale.startsAt}>
        {formatTime(sale.startsAt)}
      </time>
    </>
  );
}
