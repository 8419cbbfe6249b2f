/** Token amounts carry 8 decimals (the API rounds each price up to them); sums are made in those
 * units so that no float drift shows. */
const UNITS = 1e8;

export function formatTokenAmount(amount: number, symbol: string): string {
  const digits = amount.toFixed(8).replace(/\.?0+$/, "");
  return `${digits} ${symbol}`;
}

/** The sum of `amount × quantity` of each line, to 8 decimals. */
export function tokenTotal(lines: readonly { amount: number; quantity: number }[]): number {
  const units = lines.reduce((sum, line) => sum + Math.round(line.amount * UNITS) * line.quantity, 0);
  return units / UNITS;
}

/** "quote 2 min old", from the quote's age in seconds. */
export function describeQuoteAge(ageSeconds: number): string {
  if (ageSeconds < 60) return `quote ${Math.max(0, Math.round(ageSeconds))} s old`;
  if (ageSeconds < 3600) return `quote ${Math.floor(ageSeconds / 60)} min old`;
  return `quote ${Math.floor(ageSeconds / 3600)} h old`;
}

/** What the lines come to in the token, or null when one of them has no price in it. */
export function amountDue(
  lines: readonly { itemId: string; quantity: number }[],
  prices: ReadonlyMap<string, { amount: number }> | null,
): number | null {
  if (!prices) return null;
  const priced = lines.map((line) => ({ amount: prices.get(line.itemId)?.amount, quantity: line.quantity }));
  if (priced.some((line) => line.amount === undefined)) return null;
  return tokenTotal(priced as { amount: number; quantity: number }[]);
}
