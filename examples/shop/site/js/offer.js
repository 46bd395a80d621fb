// Discount banner for cart abandoners, with segments.on(): its text names what is in the cart,
// which a static template cannot do. It appears on every page, even one already open when the
// 30 minutes run out (seglet's timer fires without any new event), and leaves after a purchase.
import { readCart } from './cart.js';
import { el } from './dom.js';
import { onSegment } from './segments.js';

let banner = null;

function show() {
  const first = readCart()[0]?.product.name ?? 'your cart';
  banner?.remove();
  banner = el('aside', { class: 'offer', id: 'offer' },
    el('strong', {}, 'Still thinking about it? '),
    `Your ${first} is waiting: code `, el('code', {}, 'COMEBACK10'), ' takes 10% off. ',
    el('a', { href: '/cart' }, 'Go to the cart'));
  document.querySelector('main')?.prepend(banner);
}

function hide() {
  banner?.remove();
  banner = null;
}

onSegment('cart-abandoner', show, hide);
