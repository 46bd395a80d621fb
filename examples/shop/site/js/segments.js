// seglet's script tag defines window.segments; before it has loaded, window.segments is the stub
// array of the page's snippet. push(['on', ...]) works on both, so page code never waits for it.

/** `segments.on(id, enter, exit)`, queued if the script tag has not run yet. */
export function onSegment(id, enter, exit) {
  (window.segments = window.segments || []).push(['on', id, enter, exit]);
}

/** `segments.track(type, props)`, queued likewise. */
export function track(type, props) {
  (window.segments = window.segments || []).push(['track', type, props]);
}

/** Membership right now (false while the script tag has not loaded). */
export function has(id) {
  const segments = window.segments;
  return !Array.isArray(segments) && typeof segments?.has === 'function' && segments.has(id);
}
