import { htmlResponse } from './htmlResponse.js';

/**
 * Whether any element carries a `data-seglet-` attribute of another kind (`data-seglet-click`,
 * a lone `data-seglet-into`): the slow every-element pass, run only when the text mentions
 * `data-seglet-` but the first pass found no swap.
 */
export async function hasSegletAttribute(body: Uint8Array): Promise<boolean> {
  let found = false;
  const rewriter = new HTMLRewriter().on('*', {
    element(el) {
      if (found) return;
      // Names come lowercased from the parser.
      for (const [name = ''] of el.attributes) {
        if (name.startsWith('data-seglet-')) {
          found = true;
          return;
        }
      }
    },
  });
  await rewriter.transform(htmlResponse(body)).arrayBuffer();
  return found;
}
