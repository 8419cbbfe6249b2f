import { useSyncExternalStore } from "react";

/** The currency the shopper reads prices in: "USD" or a token's symbol, kept in localStorage so
 * that a reload (and the other tabs) keep it. */

export const USD = "USD";
export const CURRENCY_KEY = "fedshop.currency";

const listeners = new Set<() => void>();

export function readCurrency(): string {
  try {
    return localStorage.getItem(CURRENCY_KEY) || USD;
  } catch {
    return USD;
  }
}

export function writeCurrency(currency: string): void {
  try {
    if (currency === USD) localStorage.removeItem(CURRENCY_KEY);
    else localStorage.setItem(CURRENCY_KEY, currency);
  } catch {
    // Storage refused (private mode): the choice lasts until the page is left.
  }
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const fromOtherTab = (event: StorageEvent) => {
    if (event.key === null || event.key === CURRENCY_KEY) listener();
  };
  window.addEventListener("storage", fromOtherTab);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", fromOtherTab);
  };
}

/** The chosen currency and the way to change it; every component using it sees each change. */
export function useCurrency(): [string, (currency: string) => void] {
  return [useSyncExternalStore(subscribe, readCurrency), writeCurrency];
}
