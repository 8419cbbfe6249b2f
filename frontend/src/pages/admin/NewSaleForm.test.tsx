import type { MockLink } from "@apollo/client/testing";
import { cleanup, fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, expect, test } from "vitest";
import { CatalogDocument, CreateSaleDocument, type CreateSaleMutationVariables } from "../../graphql/generated";
import { fakeSessions } from "../../testing/fakeSessions";
import { saleOf } from "../../testing/fixtures";
import { renderApp } from "../../testing/renderApp";
import { ITEMS_PER_PAGE } from "../AdminPage";
import { saleInput } from "./NewSaleForm";

afterEach(cleanup);

const table = { __typename: "Item", id: "1", name: "Table", price: 10, quantity: null, active: true };
const catalog: MockLink.MockedResponse = {
  request: { query: CatalogDocument, variables: { first: ITEMS_PER_PAGE, after: null } },
  result: {
    data: {
      catalog: {
        __typename: "ItemConnection",
        totalCount: 1,
        pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
        edges: [{ __typename: "ItemEdge", cursor: "c0", node: table }],
      },
    },
  },
};

const valid = { itemId: "1", price: "6", units: "2", startsAt: "2026-12-02T16:00", endsAt: "2026-12-02T17:00" };

test("the form's checks: an item, a price over 0, whole units from 1, an end after the start", () => {
  expect(saleInput({ ...valid, itemId: "" })).toEqual({ problem: "Choose the item on sale." });
  expect(saleInput({ ...valid, price: "0" })).toEqual({ problem: "A sale price is more than 0." });
  expect(saleInput({ ...valid, price: "" })).toEqual({ problem: "A sale price is more than 0." });
  expect(saleInput({ ...valid, units: "0" })).toEqual({ problem: "Units are a whole number, 1 or more." });
  expect(saleInput({ ...valid, units: "1.5" })).toEqual({ problem: "Units are a whole number, 1 or more." });
  expect(saleInput({ ...valid, endsAt: "" })).toEqual({ problem: "Give the sale's start and end." });
  expect(saleInput({ ...valid, endsAt: valid.startsAt })).toEqual({ problem: "The end is after the start." });
  expect(saleInput(valid)).toEqual({
    itemId: "1",
    price: 6,
    units: 2,
    startsAt: new Date("2026-12-02T16:00").toISOString(),
    endsAt: new Date("2026-12-02T17:00").toISOString(),
  });
});

async function fillForm(fields: typeof valid) {
  const user = userEvent.setup();
  await user.selectOptions(await screen.findByRole("combobox", { name: "Item" }), fields.itemId);
  await user.type(screen.getByRole("textbox", { name: "Sale price" }), fields.price);
  const units = screen.getByRole("textbox", { name: "Units" });
  await user.clear(units);
  await user.type(units, fields.units);
  fireEvent.change(screen.getByLabelText("Starts"), { target: { value: fields.startsAt } });
  fireEvent.change(screen.getByLabelText("Ends"), { target: { value: fields.endsAt } });
  await user.click(screen.getByRole("button", { name: "Create the sale" }));
}

test("an end before the start is said so, and nothing is sent", async () => {
  renderApp("/admin", [catalog], fakeSessions({ signedIn: true, role: "admin" }));
  await fillForm({ ...valid, endsAt: "2026-12-02T15:00" });
  expect((await screen.findByRole("alert")).textContent).toBe("The end is after the start.");
});

test("an admin creates a sale and gets a link to its page", async () => {
  const sent: CreateSaleMutationVariables[] = [];
  renderApp(
    "/admin",
    [
      catalog,
      {
        request: {
          query: CreateSaleDocument,
          variables: (variables: CreateSaleMutationVariables) => {
            sent.push(variables);
            return true;
          },
        },
        result: { data: { createSale: saleOf({ id: "sale-9", units: 2, unitsLeft: 2, price: 6 }) } },
      },
    ],
    fakeSessions({ signedIn: true, role: "admin" }),
  );
  await fillForm(valid);

  const link = await screen.findByRole("link", { name: "the flash sale of Table" });
  expect(link.getAttribute("href")).toBe("/sales/sale-9");
  expect(sent).toEqual([{ input: saleInput(valid) }]);
});

test("the API's refusal is shown", async () => {
  renderApp(
    "/admin",
    [
      catalog,
      {
        request: { query: CreateSaleDocument, variables: () => true },
        result: { errors: [{ message: "the item is not on sale", extensions: { code: "CONFLICT" } }] },
      },
    ],
    fakeSessions({ signedIn: true, role: "admin" }),
  );
  await fillForm(valid);
  expect((await screen.findByRole("alert")).textContent).toBe("the item is not on sale");
});
