import { afterEach, expect, test } from "vitest";
import { addItem, cartCount, cartTotal, withAtLeast, withQuantity, withoutItem, type CartLine } from "./cart";
import { cartKey, readCart, writeCart } from "./cartStorage";

afterEach(() => localStorage.clear());

const seeds = { id: "11", name: "Seeds", price: 4.1 };
const perch = { id: "12", name: "Perch", price: 0.2 };

test("adding an item makes a line, adding it again adds one, never past 100", () => {
  let lines = addItem([], seeds);
  lines = addItem(lines, perch);
  lines = addItem(lines, seeds);
  expect(lines).toEqual([
    { itemId: "11", name: "Seeds", unitPrice: 4.1, quantity: 2 },
    { itemId: "12", name: "Perch", unitPrice: 0.2, quantity: 1 },
  ]);

  const full = withQuantity(lines, "11", 100);
  expect(addItem(full, seeds)[0].quantity).toBe(100);
});

test("a quantity is kept between 1 and 100, whole; removing drops the line", () => {
  const lines = addItem(addItem([], seeds), perch);
  expect(withQuantity(lines, "11", 0)[0].quantity).toBe(1);
  expect(withQuantity(lines, "11", 250)[0].quantity).toBe(100);
  expect(withQuantity(lines, "11", 3.7)[0].quantity).toBe(3);
  expect(withoutItem(lines, "11").map((line) => line.itemId)).toEqual(["12"]);
});

test("putting an order's lines back keeps what the cart holds, at least at the order's quantities", () => {
  const cart = withQuantity(addItem([], seeds), "11", 5);
  const putBack = withAtLeast(cart, [
    { itemId: "11", name: "Seeds", unitPrice: 4.1, quantity: 2 },
    { itemId: "12", name: "Perch", unitPrice: 0.2, quantity: 3 },
  ]);
  expect(putBack.map((line) => [line.itemId, line.quantity])).toEqual([
    ["11", 5],
    ["12", 3],
  ]);
});

test("the total is the sum of the lines to the cent, the count the units", () => {
  const lines = withQuantity(addItem(addItem([], seeds), perch), "12", 3);
  // 4.10 + 3 × 0.20, without floating-point dust
  expect(cartTotal(lines)).toBe(4.7);
  expect(cartCount(lines)).toBe(4);
  expect(cartTotal([])).toBe(0);
  expect(cartCount([])).toBe(0);
});

test("each user's cart is stored apart and read back after a reload", () => {
  const lines: CartLine[] = [{ itemId: "11", name: "Seeds", unitPrice: 4.1, quantity: 2 }];
  writeCart("5", lines);
  expect(readCart("5")).toEqual(lines);
  expect(readCart("4")).toEqual([]);
  // what a reload reads: only the stored text
  expect(JSON.parse(localStorage.getItem(cartKey("5"))!)).toEqual(lines);
  // the same text gives the same array (React's store snapshots rely on it)
  expect(readCart("5")).toBe(readCart("5"));

  writeCart("5", []);
  expect(localStorage.getItem(cartKey("5"))).toBeNull();
  expect(readCart("5")).toEqual([]);
});

test("a stored cart that makes no sense is dropped, line by line", () => {
  localStorage.setItem(cartKey("5"), "not json");
  expect(readCart("5")).toEqual([]);
  localStorage.setItem(cartKey("5"), JSON.stringify({ itemId: "11" }));
  expect(readCart("5")).toEqual([]);
  localStorage.setItem(
    cartKey("5"),
    JSON.stringify([
      { itemId: "11", name: "Seeds", unitPrice: 4.1, quantity: 2 },
      { itemId: "12", name: "Perch", unitPrice: 0.2, quantity: 0 },
      { itemId: 13, name: "Swing", unitPrice: 7, quantity: 1 },
      null,
    ]),
  );
  expect(readCart("5").map((line) => line.itemId)).toEqual(["11"]);
});
