/** The queue token of each sale the shopper entered, per user, in sessionStorage: a reload of
 * the sale's page goes back to its waiting room; another tab, or another user, starts afresh. */

export function queueTokenKey(userId: string, saleId: string): string {
  return `fedshop.queue.${userId}.${saleId}`;
}

export function readQueueToken(userId: string, saleId: string): string | null {
  try {
    return sessionStorage.getItem(queueTokenKey(userId, saleId));
  } catch {
    return null;
  }
}

export function keepQueueToken(userId: string, saleId: string, queueToken: string): void {
  try {
    sessionStorage.setItem(queueTokenKey(userId, saleId), queueToken);
  } catch {
    // Storage refused (private mode): the place lasts as long as the page.
  }
}

export function forgetQueueToken(userId: string, saleId: string): void {
  try {
    sessionStorage.removeItem(queueTokenKey(userId, saleId));
  } catch {
    // nothing kept, nothing to forget
  }
}
