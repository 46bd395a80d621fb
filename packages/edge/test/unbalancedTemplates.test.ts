// A template's content with an end tag it never opened, or an element it never closes: spliced
// into the page as text it would close or swallow the target's neighbours; the browser parses it
// on its own, as a template's content, where it cannot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, into, startEdge, type EdgeFixture } from './harness/edgeFixture.js';

let edge: EdgeFixture;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge?.close());

describe('a template whose content is not balanced', () => {
  it.each([
    // An extra </div> closed the card: "Free returns" fell out of it, the card's </div> closed its parent.
    ['an extra end tag', '<div class="card"><div id="{id}">Sale</div><p>Free returns</p></div>', '<h2>Welcome back</h2></div>'],
    // The unclosed <div> took the target's </div>: the target stayed open around the rest of the card.
    ['an element left open', '<div class="card"><div id="{id}">Sale</div><p>Free returns</p></div>', '<div>Welcome back'],
    ['a cell that closes its table', '<table><tr><td id="{id}">$10</td><td>Buy</td></tr></table>', '$8</td></tr></table>'],
  ])('%s: left to the browser and reported', async (name, target, content) => {
    await edge.reported();
    const id = `unbalanced-${name.replaceAll(' ', '-')}`;
    const page = `${target.replace('{id}', id)}${into(id, content)}`;
    const url = edge.serve(`/${id}`, html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page);
    expect((await edge.reported()).reported.map((r) => r.code)).toEqual(['swap_failed']);
  });

  it('still fills with content whose open elements the target\'s end tag closes, and end tags inside scripts or a nested template', async () => {
    const content = '<p>one<p>two<script>x("</div>")</script><template></div></template>';
    const page = `<div class="card"><div id="ok">Sale</div></div>${into('ok', content)}`;
    const url = edge.serve('/unbalanced-ok', html(page));
    const res = await edge.get(url, { headers: { cookie: 'seglet_m=returning' } });
    expect(res.text).toBe(page.replace('<div id="ok">Sale</div>', `<div id="ok" data-seglet-applied="returning"><template data-seglet-original>Sale</template>${content}</div>`));
  });
});
