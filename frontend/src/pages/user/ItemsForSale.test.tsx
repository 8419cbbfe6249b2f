import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, expect, test, vi } from "vitest";
import { ItemsForSale } from "./ItemsForSale";

afterEach(cleanup);

const item = (id: string, name: string, quantity: number | null) =>
  ({ __typename: "Item", id, name, price: 10, quantity }) as const;

test("shows the units left, sold out with its buy button disabled, nothing for unlimited", () => {
  const onBuy = vi.fn(() => Promise.resolve());
  render(
    <ItemsForSale
      items={[item("1", "Seeds", 3), item("2", "Perch", 0), item("3", "Table", null)]}
      onBuy={onBuy}
      disabled={false}
    />,
  );

  const [seeds, perch, table] = screen.getAllByRole("listitem");
  expect(seeds.textContent).toContain("3 left");
  expect(perch.textContent).toContain("sold out");
  expect(table.textContent).not.toMatch(/left|sold out/);

  const soldOut = screen.getByRole("button", { name: "Buy Perch" }) as HTMLButtonElement;
  expect(soldOut.disabled).toBe(true);
  expect(soldOut.textContent).toBe("Sold out");
  soldOut.click();
  expect(onBuy).not.toHaveBeenCalled();

  (screen.getByRole("button", { name: "Buy Seeds" }) as HTMLButtonElement).click();
  expect(onBuy).toHaveBeenCalledWith(expect.objectContaining({ id: "1" }));
});
