// Functions that run inside the shop's pages before any of the page's own scripts
// (playwright's addInitScript serialises them: they must not use anything from this module).

/**
 * seglet's holdout is a hash of the anonymous id, which is random. To make the scripted run
 * reproducible, the very first page of a visitor answers the first two 8-byte
 * `crypto.getRandomValues` calls (seglet's tab id and anonymous id) with a fixed id.
 */
export function pinAnonymousId(hex) {
  if (!window.location.protocol.startsWith('http')) return; // a new tab's about:blank has no storage
  if (window.localStorage.getItem('demo:pinned') !== null) return;
  window.localStorage.setItem('demo:pinned', hex);
  const bytes = Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));
  const original = crypto.getRandomValues.bind(crypto);
  let left = 2;
  crypto.getRandomValues = (array) => {
    if (left > 0 && array instanceof Uint8Array && array.length === bytes.length) {
      left--;
      array.set(bytes);
      return array;
    }
    return original(array);
  };
}

/**
 * Uses the page's own stub queue (`window.segments = window.segments || []`) to subscribe to
 * every segment before seglet loads, reporting each enter and exit to the driver.
 */
export function reportChanges(ids) {
  const queue = (window.segments = window.segments || []);
  const report = (change) => window.__shopChange(change);
  for (const id of ids) queue.push(['on', id, report, report]);
}
