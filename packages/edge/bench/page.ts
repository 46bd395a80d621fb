// A ~50 KB shop page: 100 product cards, swaps spread through it, a target before its templates.

function card(i: number, swaps: boolean): string {
  return `<article class="card" id="p${i}"><a href="/product/${i}"><img src="/img/${i}.jpg" alt="Product ${i}" width="320" height="240"></a>`
    + `<h3 class="card-title"><a href="/product/${i}">Product number ${i} with a longer descriptive name</a></h3>`
    + `<p class="price"><span class="amount">${(i * 7.3).toFixed(2)}</span> <span class="currency">EUR</span></p>`
    + `<ul class="tags"><li>new</li><li>popular</li><li>free shipping</li></ul>`
    + (swaps && i % 10 === 0 ? `<p class="badge" data-seglet-show="high-intent" hidden>Still thinking about it? 10% off today.</p>` : '')
    + `<button type="button" class="add" data-sku="sku-${i}">Add to cart</button></article>\n`;
}

function body(swaps: boolean): string {
  const cards = Array.from({ length: 100 }, (_, i) => card(i, swaps)).join('');
  const hero = '<section id="hero"><h1>Spring collection</h1><p>New arrivals every week.</p></section>\n';
  const templates = swaps
    ? '<template data-seglet-when="cart-abandoner" data-seglet-into="#hero"><h1>Your cart is waiting</h1><p>Complete your order today.</p></template>\n'
      + '<template data-seglet-when="newsletter" data-seglet-into="#hero"><h1>Welcome, newsletter reader</h1></template>\n'
      + '<a data-seglet-show="mobile" hidden href="/app">Get the app</a><p data-seglet-hide="eu-visitor">Prices exclude VAT</p>\n'
    : '';
  const nav = `<nav><ul>${Array.from({ length: 20 }, (_, i) => `<li><a href="/c/${i}">Category ${i}</a></li>`).join('')}</ul></nav>\n`;
  const text = `<footer>${'<p>Free returns within 30 days. Secure payment. Customer service seven days a week.</p>'.repeat(20)}</footer>\n`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="stylesheet" href="/s.css"></head><body>\n${nav}${hero}<main>${cards}</main>${templates}${text}</body></html>\n`;
}

/** The page with seglet swaps. */
export const PAGE = body(true);
/** The same page without any `data-seglet-` attribute. */
export const PLAIN_PAGE = body(false);
