// GA4 ecommerce events pushed to window.dataLayer, exactly as a Google Tag Manager site does.
// seglet's dataLayer collector reads these pushes: the shop never calls seglet to track them.

const item = (product, quantity = 1) => ({
  item_id: product.id, item_name: product.name, item_category: product.category, price: product.price, quantity,
});

function push(event, ecommerce) {
  const layer = (window.dataLayer = window.dataLayer || []);
  layer.push({ ecommerce: null }); // GTM's recommended reset before each ecommerce event
  layer.push({ event, ecommerce });
}

export const viewItem = (product) => push('view_item', { currency: 'EUR', value: product.price, items: [item(product)] });

export const addToCart = (product) => push('add_to_cart', { currency: 'EUR', value: product.price, items: [item(product)] });

const lineItems = (lines) => lines.map((l) => item(l.product, l.quantity));

export const beginCheckout = (lines, value) => push('begin_checkout', { currency: 'EUR', value, items: lineItems(lines) });

export const purchase = (lines, value, transactionId) =>
  push('purchase', { currency: 'EUR', value, transaction_id: transactionId, items: lineItems(lines) });
