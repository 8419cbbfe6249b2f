import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { SalesDocument, type SaleDetailsFragment } from "../graphql/generated";
import { saleOf } from "../testing/fixtures";
import { renderApp } from "../testing/renderApp";
import { SALES_PER_PAGE } from "./SalesPage";

afterEach(cleanup);

function salesPage(after: string | null, sales: SaleDetailsFragment[], endCursor: string | null) {
  return {
    request: { query: SalesDocument, variables: { first: SALES_PER_PAGE, after } },
    result: {
      data: {
        sales: {
          __typename: "SaleConnection" as const,
          totalCount: 2,
          pageInfo: { __typename: "PageInfo" as const, hasNextPage: endCursor !== null, endCursor },
          edges: sales.map((node) => ({ __typename: "SaleEdge" as const, cursor: `c-${node.id}`, node })),
        },
      },
    },
  };
}

test("the sales a page at a time, each linked to its page; the nav links to them", async () => {
  const user = userEvent.setup();
  const lamp = { __typename: "Item" as const, id: "3", name: "Lamp", price: 50 };
  renderApp("/sales", [
    salesPage(null, [saleOf()], "c-sale-1"),
    salesPage("c-sale-1", [saleOf({ id: "sale-2", item: lamp, state: "OVER", unitsLeft: 0 })], null),
  ]);

  expect(screen.getByRole("link", { name: "Flash sales" }).getAttribute("href")).toBe("/sales");
  const table = await screen.findByRole("link", { name: "Table" });
  expect(table.getAttribute("href")).toBe("/sales/sale-1");
  expect(screen.getByRole("listitem").textContent).toMatch(/6\.00.*10\.00.*open.*1 of 1 left/);

  await user.click(screen.getByRole("button", { name: "Next →" }));
  expect((await screen.findByRole("link", { name: "Lamp" })).getAttribute("href")).toBe("/sales/sale-2");
  expect(screen.getByRole("listitem").textContent).toContain("over");
});
