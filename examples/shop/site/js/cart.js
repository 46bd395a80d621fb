// The cart lives in localStorage, as in many small shops: [{ id, quantity }].
import { productById } from './catalog.js';

const KEY = 'shop:cart';

/** The cart's lines with their products; unknown ids are dropped. */
export function readCart() {
  let lines = [];
  try { lines = JSON.parse(window.localStorage.getItem(KEY) ?? '[]'); } catch { lines = []; }
  return lines.map((l) => ({ product: productById(l.id), quantity: l.quantity })).filter((l) => l.product !== null);
}

function write(lines) {
  window.localStorage.setItem(KEY, JSON.stringify(lines.map((l) => ({ id: l.product.id, quantity: l.quantity }))));
  showCount();
}

/** Adds one of `product`. */
export function addToCart(product) {
  const lines = readCart();
  const line = lines.find((l) => l.product.id === product.id);
  if (line) line.quantity += 1;
  else lines.push({ product, quantity: 1 });
  write(lines);
}

export function clearCart() {
  write([]);
}

/** Sum of price times quantity. */
export const cartTotal = (lines) => lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0);

/** Puts the number of items into the header's `#cart-count`. */
export function showCount() {
  const count = readCart().reduce((n, l) => n + l.quantity, 0);
  const el = document.getElementById('cart-count');
  if (el) el.textContent = String(count);
}
