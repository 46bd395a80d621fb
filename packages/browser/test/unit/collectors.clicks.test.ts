import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PropValue } from '@seglet/core';
import { collectClicks } from '../../src/collectors/collectClicks.js';
import type { Win } from '../../src/collectors/types.js';

const win = window as unknown as Win;
type Call = [string, Record<string, PropValue>];

function html(markup: string): void {
  // Test fixture only: the code under test never parses HTML.
  document.body.innerHTML = markup;
}

describe('collectClicks', () => {
  let calls: Call[];
  let stop: () => void = () => {};
  const track = (type: string, props: Record<string, PropValue>): void => void calls.push([type, props]);
  const click = (selector: string, root: ParentNode = document): void => {
    (root.querySelector(selector) as HTMLElement).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
  };

  // happy-dom follows links: cancel the default action after our capturing listener has run.
  const noNavigation = (e: Event): void => e.preventDefault();
  beforeEach(() => {
    window.addEventListener('click', noNavigation);
    calls = [];
    history.replaceState(null, '', '/shop?session=abc#top');
  });
  afterEach(() => {
    window.removeEventListener('click', noNavigation);
    stop();
    document.body.replaceChildren();
  });

  it('records data-seglet-click elements with name and path, not their text or form values', () => {
    html('<button data-seglet-click="signup"><span id="inner">Secret label</span></button>'
      + '<form><input id="email" value="me@example.com" data-seglet-click="email-field"></form><p id="plain">x</p>');
    stop = collectClicks(track, win);
    click('#inner');
    click('#email');
    click('#plain');
    expect(calls).toEqual([
      ['click', { path: '/shop', name: 'signup' }],
      ['click', { path: '/shop', name: 'email-field' }],
    ]);
    expect(JSON.stringify(calls)).not.toMatch(/Secret|me@example/);
  });

  it('href is the path for same-origin links and the host for others; other schemes give none', () => {
    html(`<a id="same" data-seglet-click="nav" href="${location.origin}/cart?coupon=X#c">Cart</a>`
      + '<a id="rel" data-seglet-click="rel" href="../products/1?ref=mail">P</a>'
      + '<a id="far" data-seglet-click="out" href="https://partner.example.net/deal?id=9">Deal</a>'
      + '<a id="mail" data-seglet-click="mail" href="mailto:me@example.com">Mail</a>'
      + '<svg><a id="svg" data-seglet-click="svg" href="/svg-target?x=1"><rect width="1" height="1"></rect></a>'
      + '<a id="xlink" data-seglet-click="xlink" xlink:href="https://partner.example.net/svg"><rect width="1" height="1"></rect></a></svg>');
    stop = collectClicks(track, win);
    for (const id of ['#same', '#rel', '#far', '#mail', '#svg', '#xlink']) click(id);
    expect(calls.map(([, p]) => p)).toEqual([
      { path: '/shop', name: 'nav', href: '/cart' },
      { path: '/shop', name: 'rel', href: '/products/1' },
      { path: '/shop', name: 'out', href: 'partner.example.net' },
      { path: '/shop', name: 'mail' },
      { path: '/shop', name: 'svg', href: '/svg-target' },
      { path: '/shop', name: 'xlink', href: 'partner.example.net' }, // SVG 1.1's xlink:href
    ]);
  });

  it("by default ignores plain links and buttons; clicks: 'all' records them", () => {
    html('<a id="a" href="/help">Help</a><button id="b">Buy</button><input id="s" type="submit" value="Send">'
      + '<form><input id="img" type="image" alt="Go"><input id="rst" type="reset"><input id="txt" type="text"></form>'
      + '<svg><a id="x" xlink:href="/svg-help"><rect id="r" width="1" height="1"></rect></a></svg>');
    stop = collectClicks(track, win);
    click('#a');
    click('#b');
    click('#r');
    expect(calls).toEqual([]);
    stop();
    stop = collectClicks(track, win, { clicks: 'all' });
    click('#a');
    click('#b');
    click('#s');
    click('#r');
    click('#img');
    click('#rst');
    click('#txt');
    expect(calls).toEqual([
      ['click', { path: '/shop', href: '/help' }],
      ['click', { path: '/shop' }],
      ['click', { path: '/shop' }],
      ['click', { path: '/shop', href: '/svg-help' }],
      ['click', { path: '/shop' }], // image input
      ['click', { path: '/shop' }], // reset input
    ]);
  });

  it('uses passive capturing listeners on the document (click and auxclick), removed on stop', () => {
    const add = vi.spyOn(document, 'addEventListener');
    const remove = vi.spyOn(document, 'removeEventListener');
    stop = collectClicks(track, win);
    expect(add.mock.calls.map(([type]) => type)).toEqual(['click', 'auxclick']);
    expect(add.mock.calls.every(([, , o]) => JSON.stringify(o) === '{"capture":true,"passive":true}')).toBe(true);
    html('<i data-seglet-click="x" id="x"></i>');
    stop();
    click('#x');
    expect(remove).toHaveBeenCalledTimes(2);
    expect(calls).toEqual([]);
    vi.restoreAllMocks();
  });

  it("a middle click (auxclick, button 1) on a link is a click, marked or under clicks: 'all'; other aux clicks are not", () => {
    html('<a id="marked" data-seglet-click="deal" href="/deal">Deal</a><a id="plain" href="https://partner.example.net/x">P</a>'
      + '<button id="b" data-seglet-click="buy">Buy</button>');
    const aux = (selector: string, button: number): void => {
      document.querySelector(selector)!.dispatchEvent(new MouseEvent('auxclick', { bubbles: true, cancelable: true, composed: true, button }));
    };
    stop = collectClicks(track, win);
    aux('#marked', 1);
    aux('#plain', 1);
    aux('#b', 1); // a middle click on a button does nothing
    aux('#marked', 2); // the context menu's button
    expect(calls).toEqual([['click', { path: '/shop', name: 'deal', href: '/deal' }]]);
    stop();
    stop = collectClicks(track, win, { clicks: 'all' });
    aux('#plain', 1);
    expect(calls.slice(1)).toEqual([['click', { path: '/shop', href: 'partner.example.net' }]]);
  });

  it("a custom element's own matches() method is not asked whether it is tracked", () => {
    class XRoute extends HTMLElement {
      // A router's element whose matches(path) answers for URLs, not selectors.
      override matches(): boolean { return true; }
    }
    customElements.define('x-route-clicks', XRoute);
    html('<x-route-clicks><span id="plain">plain</span></x-route-clicks><x-route-clicks data-seglet-click="route"><i id="in">in</i></x-route-clicks>');
    stop = collectClicks(track, win, { clicks: 'all' });
    click('#plain');
    click('#in');
    expect(calls).toEqual([['click', { path: '/shop', name: 'route' }]]);
  });

  it('sees clicks inside open shadow roots, and still records when the page stops propagation', () => {
    html('<div id="host"></div><div id="wall"><i id="stopper" data-seglet-click="stopped"></i></div>');
    const shadow = document.querySelector('#host')!.attachShadow({ mode: 'open' });
    const inner = document.createElement('button');
    inner.id = 'deep';
    inner.setAttribute('data-seglet-click', 'deep');
    shadow.append(inner);
    document.querySelector('#wall')!.addEventListener('click', (e) => e.stopPropagation());
    stop = collectClicks(track, win);
    click('#deep', shadow);
    click('#stopper');
    expect(calls.map(([, p]) => p['name'])).toEqual(['deep', 'stopped']);
  });

  it("does not record clicks inside seglet's debug overlay, even with clicks: 'all'", () => {
    const host = document.createElement('seglet-debug');
    const shadow = host.attachShadow({ mode: 'open' });
    const button = document.createElement('button');
    button.setAttribute('data-seglet-click', 'overlay');
    shadow.append(button);
    document.documentElement.append(host);
    html('<button id="buy">Buy</button>');
    stop = collectClicks(track, win, { clicks: 'all' });
    try {
      click('button', shadow);
      click('#buy');
    } finally {
      host.remove();
    }
    expect(calls).toEqual([['click', { path: '/shop' }]]);
  });

  it("records a click on a label's text once, though the browser clicks its control as well", async () => {
    html('<label data-seglet-click="agree" id="wrap"><span id="text">I agree</span> <input type="checkbox" id="box"></label>'
      + '<label for="other" id="outside">Other</label><input type="checkbox" id="other" data-seglet-click="other">');
    window.removeEventListener('click', noNavigation); // a cancelled click activates no label
    stop = collectClicks(track, win);
    (document.querySelector('#text') as HTMLElement).click();
    expect((document.querySelector('#box') as HTMLInputElement).checked).toBe(true);
    expect(calls.map(([, p]) => p['name'])).toEqual(['agree']);
    // The control clicked itself, in a later task: one event, recorded.
    await new Promise((r) => setTimeout(r, 0));
    (document.querySelector('#box') as HTMLElement).click();
    expect(calls.map(([, p]) => p['name'])).toEqual(['agree', 'agree']);
    // A label outside any named element: its own click records nothing, its control's does.
    await new Promise((r) => setTimeout(r, 0));
    (document.querySelector('#outside') as HTMLElement).click();
    expect(calls.map(([, p]) => p['name'])).toEqual(['agree', 'agree', 'other']);
  });

  it('cuts long names to 512 and reports a throwing track instead of throwing', () => {
    html(`<i id="long" data-seglet-click="${'n'.repeat(600)}"></i>`);
    stop = collectClicks(track, win);
    click('#long');
    expect((calls[0]![1]['name'] as string).length).toBe(512);
    stop();
    const onError = vi.fn();
    stop = collectClicks(() => { throw new Error('x'); }, win, { onError });
    expect(() => click('#long')).not.toThrow();
    expect(onError.mock.calls[0]![0].code).toBe('collector_failed');
  });
});
