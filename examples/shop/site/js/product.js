// Product page (/product/<id>): fills in the product and reports view_item and add_to_cart.
import * as analytics from './analytics.js';
import { addToCart } from './cart.js';
import { CATEGORIES, idFromPath, money, productById, PRODUCTS } from './catalog.js';
import './common.js';
import { el } from './dom.js';

const product = productById(idFromPath());
const text = (id, value) => { document.getElementById(id).textContent = value; };

if (product === null) {
  text('name', 'Product not found');
  document.getElementById('add').hidden = true;
} else {
  document.title = `${product.name} · Wetfoot`;
  text('name', product.name);
  text('blurb', product.blurb);
  text('price', money(product.price));
  const back = document.getElementById('category');
  back.href = `/category/${product.category}`;
  back.textContent = CATEGORIES[product.category];
  // The next two products of the catalog, wrapping around.
  const at = PRODUCTS.indexOf(product);
  for (const p of [1, 2].map((k) => PRODUCTS[(at + k) % PRODUCTS.length])) {
    document.getElementById('also').append(el('li', {}, el('a', { href: `/product/${p.id}` }, p.name), ` ${money(p.price)}`));
  }
  analytics.viewItem(product);
  document.getElementById('add').addEventListener('click', () => {
    addToCart(product);
    analytics.addToCart(product);
    document.getElementById('added').hidden = false;
  });
}
