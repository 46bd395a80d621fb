// Category page (/category/<id>): lists its products.
import { CATEGORIES, idFromPath, money, PRODUCTS } from './catalog.js';
import { el } from './dom.js';
import './common.js';

const id = idFromPath();
const name = CATEGORIES[id] ?? 'Not found';
document.title = `${name} · Wetfoot`;
document.getElementById('name').textContent = name;
const list = document.getElementById('products');
for (const p of PRODUCTS.filter((product) => product.category === id)) {
  list.append(el('li', {}, el('a', { href: `/product/${p.id}` }, p.name), ' ', el('span', { class: 'price' }, money(p.price))));
}
