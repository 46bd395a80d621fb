// The scripted shoppers. Ada is a typical visitor; Bo falls in the 10% holdout and sees the
// static shop whatever he does. Their anonymous ids are pinned so the holdout draw is repeatable.

const MINUTE = 60_000;

export const SHOPPERS = [
  {
    name: 'Ada',
    anonymousId: 'ada0000000000001',
    async script(v) {
      await v.open('/', 'first visit');
      await v.follow('/category/shoes');
      await v.follow('/product/trail-shoe', 'view_item');
      await v.click('#add', 'add_to_cart trail-shoe');
      await v.follow('/product/rain-jacket', 'view_item');
      await v.follow('/product/wool-socks', 'view_item: the third product');
      await v.sees('.early-access', 'early access (data-seglet-show)');
      await v.follow('/blog');
      await v.follow('/blog/waterproofing');
      await v.scrollToEnd();
      await v.follow('/blog/first-trail-run');
      await v.scrollToEnd();
      await v.sees('#survey', 'survey (segments.on)');
      await v.click('#survey [data-answer="yes"]', 'answers the survey');
      await v.wait(30 * MINUTE, 'keeps the tab open for 30 minutes');
      await v.sees('#offer', 'discount banner (segments.on)');
      await v.wait(2 * 60 * MINUTE, 'closes the tab; comes back two hours later', { leave: true });
      await v.open('/', 'second visit');
      await v.sees('#hero >> text=Welcome back!', 'welcome-back hero (template)');
      await v.sees('#offer', 'discount banner (segments.on)');
      await v.follow('/cart');
      await v.follow('/checkout', 'begin_checkout');
      await v.sees('.discount', 'discount at checkout (data-seglet-show)');
      await v.click('#place-order', 'purchase');
      await v.sees('#offer', 'discount banner (segments.on)');
    },
  },
  {
    name: 'Bo',
    anonymousId: 'b0b000000000002c',
    async script(v) {
      await v.open('/category/shoes', 'first visit');
      await v.follow('/product/trail-shoe', 'view_item');
      await v.click('#add', 'add_to_cart trail-shoe');
      await v.follow('/product/road-shoe', 'view_item');
      await v.follow('/product/rain-jacket', 'view_item: the third product');
      await v.sees('.early-access', 'early access (data-seglet-show)');
      await v.wait(30 * MINUTE, 'keeps the tab open for 30 minutes');
      await v.sees('#offer', 'discount banner (segments.on)');
      await v.follow('/');
      await v.sees('#hero >> text=Gear for wet trails', 'the static hero');
    },
  },
];
