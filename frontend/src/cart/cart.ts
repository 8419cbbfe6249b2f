/** A cart: one line per item, each with the name and unit price it was added with. */
export type CartLine = { itemId: string; name: string; unitPrice: number; quantity: number };

// The checkout's bounds for a line's quantity.
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 100;

export function clampQuantity(quantity: number): number {
  return Math.min(MAX_QUANTITY, Math.max(MIN_QUANTITY, Math.trunc(quantity)));
}

/** One more of the item: a new line, or the line it has grown by one (never past the maximum). */
export function addItem(
  lines: readonly CartLine[],
  item: { id: string; name: string; price: number },
): CartLine[] {
  const line = lines.find((candidate) => candidate.itemId === item.id);
  if (!line) return [...lines, { itemId: item.id, name: item.name, unitPrice: item.price, quantity: 1 }];
  return lines.map((candidate) =>
    candidate === line
      ? { ...line, name: item.name, unitPrice: item.price, quantity: clampQuantity(line.quantity + 1) }
      : candidate,
  );
}

export function withQuantity(lines: readonly CartLine[], itemId: string, quantity: number): CartLine[] {
  return lines.map((line) =>
    line.itemId === itemId ? { ...line, quantity: clampQuantity(quantity) } : line,
  );
}

export function withoutItem(lines: readonly CartLine[], itemId: string): CartLine[] {
  return lines.filter((line) => line.itemId !== itemId);
}

/** How many units the cart holds (what the cart link shows). */
export function cartCount(lines: readonly CartLine[]): number {
  return lines.reduce((count, line) => count + line.quantity, 0);
}

/** The sum of the lines, in cents so that 0.1 + 0.2 is 0.30; the server's total is the one paid. */
export function cartTotal(lines: readonly CartLine[]): number {
  const cents = lines.reduce((sum, line) => sum + Math.round(line.unitPrice * 100) * line.quantity, 0);
  return cents / 100;
}

/** The cart with each of `wanted` in it, at least at its quantity (a cancelled order put back). */
export function withAtLeast(lines: readonly CartLine[], wanted: readonly CartLine[]): CartLine[] {
  const merged = [...lines];
  for (const line of wanted) {
    const index = merged.findIndex((candidate) => candidate.itemId === line.itemId);
    if (index === -1) merged.push({ ...line, quantity: clampQuantity(line.quantity) });
    else merged[index] = { ...line, quantity: clampQuantity(Math.max(merged[index].quantity, line.quantity)) };
  }
  return merged;
}
