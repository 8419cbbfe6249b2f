import type { MockLink } from "@apollo/client/testing";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import {
  CatalogDocument,
  CreateItemDocument,
  SetItemActiveDocument,
  UpdateItemDocument,
} from "../graphql/generated";
import { fakeSessions } from "../testing/fakeSessions";
import { renderApp } from "../testing/renderApp";
import { ITEMS_PER_PAGE } from "./AdminPage";

afterEach(cleanup);

const seeds = { __typename: "Item", id: "11", name: "Seeds", price: 4, quantity: 3, active: true };
const table = { __typename: "Item", id: "1", name: "Table", price: 10, quantity: null, active: true };

function catalog(items: object[], hasNextPage = false, endCursor: string | null = null) {
  return {
    catalog: {
      __typename: "ItemConnection",
      totalCount: items.length,
      pageInfo: { __typename: "PageInfo", hasNextPage, endCursor },
      edges: items.map((node, n) => ({ __typename: "ItemEdge", cursor: `c${n}`, node })),
    },
  };
}

function page(after: string | null, data: object): MockLink.MockedResponse {
  return {
    request: { query: CatalogDocument, variables: { first: ITEMS_PER_PAGE, after } },
    result: { data },
  };
}

test("the warehouse is for admins only", async () => {
  renderApp("/admin", [], fakeSessions({ signedIn: true, role: "customer" }));
  expect(await screen.findByText("The warehouse is for admins only.")).toBeTruthy();
  cleanup();
  renderApp("/admin", [], fakeSessions());
  expect(await screen.findByRole("link", { name: "sign in" })).toBeTruthy();
});

test("an admin edits price and quantity, and takes an item off sale", async () => {
  const user = userEvent.setup();
  const saved = { ...seeds, price: 5.5, quantity: 7 };
  renderApp(
    "/admin",
    [
      page(null, catalog([table, seeds])),
      {
        request: {
          query: UpdateItemDocument,
          variables: { id: "11", input: { price: 5.5, quantity: 7 } },
        },
        result: { data: { updateItem: saved } },
      },
      {
        request: { query: SetItemActiveDocument, variables: { id: "11", active: false } },
        result: { data: { setItemActive: { ...saved, active: false } } },
      },
    ],
    fakeSessions({ signedIn: true, role: "admin" }),
  );

  expect(await screen.findByRole("link", { name: "Warehouse" })).toBeTruthy();
  const price = await screen.findByRole("textbox", { name: "Price of Seeds" });
  expect((screen.getByRole("textbox", { name: "Quantity of Table" }) as HTMLInputElement).value).toBe("");
  expect(screen.getByText(/3 left/)).toBeTruthy();
  await user.clear(price);
  await user.type(price, "5.5");
  const quantity = screen.getByRole("textbox", { name: "Quantity of Seeds" });
  await user.clear(quantity);
  await user.type(quantity, "7");
  await user.click(screen.getByRole("button", { name: "Save Seeds" }));
  expect(await screen.findByText(/7 left/)).toBeTruthy();
  expect(screen.getByText("saved")).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Take off sale: Seeds" }));
  expect(await screen.findByRole("button", { name: "Put on sale: Seeds" })).toBeTruthy();
});

test("a bad quantity is refused before anything is sent", async () => {
  const user = userEvent.setup();
  renderApp("/admin", [page(null, catalog([seeds]))], fakeSessions({ signedIn: true, role: "admin" }));
  const quantity = await screen.findByRole("textbox", { name: "Quantity of Seeds" });
  await user.clear(quantity);
  await user.type(quantity, "-2");
  await user.click(screen.getByRole("button", { name: "Save Seeds" }));
  expect((await screen.findByRole("alert")).textContent).toMatch(/whole number/);
});

test("an admin adds an item and pages the catalog", async () => {
  const user = userEvent.setup();
  const perch = { __typename: "Item", id: "12", name: "Perch", price: 12, quantity: 2, active: true };
  renderApp(
    "/admin",
    [
      page(null, catalog([table], true, "c0")),
      {
        request: {
          query: CreateItemDocument,
          variables: { input: { name: "Perch", price: 12, quantity: 2 } },
        },
        result: { data: { createItem: perch } },
      },
      page(null, catalog([table], true, "c0")),
      page("c0", catalog([perch])),
    ],
    fakeSessions({ signedIn: true, role: "admin" }),
  );

  await screen.findByRole("textbox", { name: "Price of Table" });
  await user.type(screen.getByRole("textbox", { name: "Name" }), "Perch");
  await user.type(screen.getByRole("textbox", { name: "Price" }), "12");
  await user.type(screen.getByRole("textbox", { name: "Quantity" }), "2");
  await user.click(screen.getByRole("button", { name: "Add item" }));
  await waitFor(() =>
    expect((screen.getByRole("textbox", { name: "Name" }) as HTMLInputElement).value).toBe(""),
  );

  await user.click(screen.getByRole("button", { name: /Next/ }));
  expect(await screen.findByRole("textbox", { name: "Price of Perch" })).toBeTruthy();
});
