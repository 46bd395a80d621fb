// Checkout: begin_checkout on arrival, purchase on "Place order". Cart abandoners get 10% off.
import * as analytics from './analytics.js';
import { cartTotal, clearCart, readCart } from './cart.js';
import { money } from './catalog.js';
import './common.js';
import { has } from './segments.js';

const lines = readCart();
const subtotal = cartTotal(lines);
document.getElementById('subtotal').textContent = money(subtotal);
if (lines.length > 0) analytics.beginCheckout(lines, subtotal);

const form = document.getElementById('order');
form.hidden = lines.length === 0;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = has('cart-abandoner') ? Math.round(subtotal * 90) / 100 : subtotal;
  const transactionId = `T-${Date.now().toString(36)}`;
  analytics.purchase(lines, value, transactionId);
  clearCart();
  form.hidden = true;
  const done = document.getElementById('done');
  done.textContent = `Thank you! Order ${transactionId}, ${money(value)} paid.`;
  done.hidden = false;
});
