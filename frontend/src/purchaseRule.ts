// The server decides; the SPA repeats its rule only to tell the shopper beforehand.
export const REJECTION_PRICE = 50;

export function purchaseWillSucceed(price: number): boolean {
  return price < REJECTION_PRICE;
}
