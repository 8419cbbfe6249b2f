import { MAX_QUANTITY, MIN_QUANTITY, type CartLine } from "./cart";

/** Each user's cart in localStorage, so it survives a reload; a change is told to every reader
 * in this tab and, through the `storage` event, in the others. */

const KEY_PREFIX = "fedshop.cart.";
const EMPTY: readonly CartLine[] = Object.freeze([]);

export function cartKey(userId: string): string {
  return `${KEY_PREFIX}${userId}`;
}

// The last lines read per user with the text they came from: the same text gives the same
// array, as useSyncExternalStore needs.
const snapshots = new Map<string, { raw: string | null; lines: readonly CartLine[] }>();
const listeners = new Set<() => void>();

export function readCart(userId: string): readonly CartLine[] {
  const raw = storedText(userId);
  const cached = snapshots.get(userId);
  if (cached && cached.raw === raw) return cached.lines;
  const lines = parseCart(raw);
  snapshots.set(userId, { raw, lines });
  return lines;
}

export function writeCart(userId: string, lines: readonly CartLine[]): void {
  try {
    if (lines.length === 0) localStorage.removeItem(cartKey(userId));
    else localStorage.setItem(cartKey(userId), JSON.stringify(lines));
  } catch {
    // Storage full or refused (private mode): the cart lasts as long as the page instead.
    snapshots.set(userId, { raw: storedText(userId), lines });
  }
  listeners.forEach((listener) => listener());
}

export function subscribeToCarts(listener: () => void): () => void {
  listeners.add(listener);
  const fromOtherTab = (event: StorageEvent) => {
    if (event.key === null || event.key.startsWith(KEY_PREFIX)) listener();
  };
  window.addEventListener("storage", fromOtherTab);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", fromOtherTab);
  };
}

function storedText(userId: string): string | null {
  try {
    return localStorage.getItem(cartKey(userId));
  } catch {
    return null;
  }
}

/** The stored lines that still make sense; anything else (an old format, a hand edit) is dropped. */
function parseCart(raw: string | null): readonly CartLine[] {
  if (!raw) return EMPTY;
  let stored: unknown;
  try {
    stored = JSON.parse(raw);
  } catch {
    return EMPTY;
  }
  if (!Array.isArray(stored)) return EMPTY;
  return stored.filter(isCartLine);
}

function isCartLine(value: unknown): value is CartLine {
  if (typeof value !== "object" || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.itemId === "string" &&
    typeof line.name === "string" &&
    typeof line.unitPrice === "number" &&
    Number.isFinite(line.unitPrice) &&
    line.unitPrice >= 0 &&
    Number.isInteger(line.quantity) &&
    (line.quantity as number) >= MIN_QUANTITY &&
    (line.quantity as number) <= MAX_QUANTITY
  );
}
