// The shop's products. A real shop renders these on the server; here they live in one small module.

/** Category id to display name. */
export const CATEGORIES = { shoes: 'Shoes', jackets: 'Jackets', accessories: 'Accessories' };

/** Every product, in display order. Prices in euros. */
export const PRODUCTS = [
  { id: 'trail-shoe', name: 'Trail shoe', category: 'shoes', price: 120, blurb: 'Grippy, light, and happy in mud.' },
  { id: 'road-shoe', name: 'Road shoe', category: 'shoes', price: 95, blurb: 'Soft cushioning for long tarmac miles.' },
  { id: 'rain-jacket', name: 'Rain jacket', category: 'jackets', price: 90, blurb: 'Taped seams, a hood that stays put.' },
  { id: 'wind-shell', name: 'Wind shell', category: 'jackets', price: 65, blurb: 'Packs into its own pocket.' },
  { id: 'wool-socks', name: 'Wool socks', category: 'accessories', price: 12, blurb: 'Warm when wet, never itchy.' },
  { id: 'headlamp', name: 'Headlamp', category: 'accessories', price: 45, blurb: '400 lumens for the dark months.' },
];

/** The product with this id, or `null`. */
export const productById = (id) => PRODUCTS.find((p) => p.id === id) ?? null;

/** The last path segment: `/product/trail-shoe` gives `trail-shoe`. */
export const idFromPath = () => window.location.pathname.split('/').pop() ?? '';

/** `120` gives `€120.00`. */
export const money = (amount) => `€${amount.toFixed(2)}`;
