// Cart page: the lines and the total.
import { cartTotal, readCart } from './cart.js';
import { money } from './catalog.js';
import { el } from './dom.js';
import './common.js';

const lines = readCart();
const list = document.getElementById('lines');
for (const { product, quantity } of lines) {
  list.append(el('li', {}, `${quantity} × `, el('a', { href: `/product/${product.id}` }, product.name), ` ${money(product.price * quantity)}`));
}
document.getElementById('total').textContent = money(cartTotal(lines));
document.getElementById('empty').hidden = lines.length > 0;
document.getElementById('checkout').hidden = lines.length === 0;
