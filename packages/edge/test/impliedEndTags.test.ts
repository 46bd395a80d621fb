// A target whose end tag the source omits (<li>, <td>, <p>...): the browser's parser ends it at the
// next start tag of some kinds, where HTMLRewriter only ends it at an ancestor's end tag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, into, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

describe('a target the browser ends before the end tag HTMLRewriter sees', () => {
  it.each([
    // The browser's #b holds "one" only: "two" is its own item, which a fill must not swallow.
    ['a list item without </li>', '<ul><li id="{id}">one<li>two<li>three</ul>', 'Welcome back'],
    // Minified tables (optional end tags removed): the cell's row neighbours are not its children.
    ['a table cell without </td>', '<table><tr><td id="{id}">$10<td><button>Buy</button></table>', '$8'],
    ['a row without </tr>', '<table><tbody><tr id="{id}"><td>a<tr><td>b</tbody></table>', '<td>c'],
    ['a definition term without </dt>', '<dl><dt id="{id}">Term<dd>Definition</dl>', 'Other term'],
    // Spliced, the template's <div> would end the <p>: the new content would sit beside the target
    // and stay on the page when the browser restores the original children on exit.
    ['a paragraph filled with a block', '<p id="{id}">Hello</p>', '<div>Welcome back</div>'],
    ['a list item filled with list items', '<ul><li id="{id}">one</li></ul>', '<li>a</li><li>b</li>'],
    // A heading start tag ends an open heading: the <h2> is the <h1>'s next sibling, not its child.
    ['a heading holding a heading', '<h1 id="{id}">Sale<h2>Today only</h2></h1>', 'Welcome back'],
    ['a heading filled with a heading', '<h1 id="{id}">Sale</h1>', '<h1>Welcome back</h1>'],
    ['a nobr filled with a nobr', '<nobr id="{id}">Sale</nobr>', '<nobr>Welcome back</nobr>'],
    // The <div> ends the paragraph around the <span>, and the <span> with it.
    ['an inline target in a paragraph filled with a block', '<p>Hello <span id="{id}">guest</span>!</p>', '<div>Welcome back</div>'],
    ['an inline target in a paragraph holding a block', '<p>Hello <a id="{id}" href="/">guest <div>card</div></a>!</p>', 'Welcome back'],
  ])('%s: left to the browser and reported', async (name, target, content) => {
    await edge.reported();
    // Its own id: a problem is reported once per rule set and selector.
    const id = `end-${name.replaceAll(' ', '-').replace(/[^\w-]/g, '')}`;
    const page = `${target.replace('{id}', id)}${into(id, content)}`;
    const url = edge.serve(`/${id}`, html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page);
    expect((await edge.reported()).reported.map((r) => r.code)).toEqual(['swap_failed']);
  });

  it('still fills an inline target after its paragraph ended, or in one with inline content', async () => {
    const page = `<p>Hi</p><div><span id="after-p">there</span></div><p>Hello <span id="in-p">guest</span>!</p>${into('after-p', '<div>Welcome back</div>')}${into('in-p', '<strong>friend</strong>')}`;
    const url = edge.serve('/end-paragraph', html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page
      .replace('<span id="after-p">there</span>', '<span id="after-p" data-seglet-applied="returning"><template data-seglet-original>there</template><div>Welcome back</div></span>')
      .replace('<span id="in-p">guest</span>', '<span id="in-p" data-seglet-applied="returning"><template data-seglet-original>guest</template><strong>friend</strong></span>'));
  });

  it('still fills those elements when their end tags are written and the content stays inside', async () => {
    const page = `<ul><li id="li">one</li><li>two</li></ul><table><tr><td id="td">$10</td><td>x</td></tr></table><p id="p">Hello</p>${into('li', 'Welcome back')}${into('td', '$8')}${into('p', '<strong>Welcome</strong> back')}`;
    const url = edge.serve('/end-explicit', html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page
      .replace('<li id="li">one</li>', '<li id="li" data-seglet-applied="returning"><template data-seglet-original>one</template>Welcome back</li>')
      .replace('<td id="td">$10</td>', '<td id="td" data-seglet-applied="returning"><template data-seglet-original>$10</template>$8</td>')
      .replace('<p id="p">Hello</p>', '<p id="p" data-seglet-applied="returning"><template data-seglet-original>Hello</template><strong>Welcome</strong> back</p>'));
  });
});
