import { describe, expect, it } from 'vitest';
import { unbalanced } from '../src/unbalanced.js';

describe('unbalanced', () => {
  it('finds end tags without their start tag, which would close the target\'s ancestors', () => {
    expect(unbalanced('Welcome back</div>')).toBe(true);
    expect(unbalanced('<h1>Welcome back</h1></div></div>')).toBe(true);
    expect(unbalanced('$8</td></tr></table>')).toBe(true);
    expect(unbalanced('<b>new</span></b>')).toBe(true);
  });

  it('finds elements left open that the target\'s end tag would not close', () => {
    expect(unbalanced('<div>Welcome back')).toBe(true);
    expect(unbalanced('<b>Welcome</b> <i>back')).toBe(true);
    expect(unbalanced('<div/>Welcome back')).toBe(true);
    expect(unbalanced('<template>inner')).toBe(true);
    expect(unbalanced('<plaintext>Welcome back</plaintext>')).toBe(true);
  });

  it('accepts balanced content, end tags the parser implies, void and foreign self-closing tags', () => {
    expect(unbalanced('Welcome <b>back</b>')).toBe(false);
    expect(unbalanced('<p>one<p>two')).toBe(false);
    expect(unbalanced('<ul><li>a<li>b</ul><dl><dt>t<dd>d</dl>')).toBe(false);
    expect(unbalanced('<td>$8<td>buy')).toBe(false);
    expect(unbalanced('<img src="a.png"><br></br><input value="x>">')).toBe(false);
    expect(unbalanced('<svg viewBox="0 0 1 1"><path d="M0 0"/></svg><svg/>')).toBe(false);
  });

  it('reads no tags inside comments, raw text, quoted attribute values or a nested template\'s content', () => {
    expect(unbalanced('<!-- </div> --><script>if (a</div>) x("<b>")</script><style>p::after{content:"</p>"}</style>new')).toBe(false);
    expect(unbalanced('<textarea></div></textarea><title></section></title>')).toBe(false);
    expect(unbalanced('<a title="</div>" href=\'x>\'>new</a>')).toBe(false);
    expect(unbalanced('<template><b>x</b></div></template>new')).toBe(false);
    expect(unbalanced('<!doctype html><![CDATA[x]]><?pi?>a < b')).toBe(false);
  });
});
