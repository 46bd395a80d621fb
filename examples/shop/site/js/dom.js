// createElement with text children: the shop never builds HTML from strings.

/** `el('a', { href: '/cart' }, 'Cart')`; children are nodes or text. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
