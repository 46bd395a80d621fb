// `seglet-debug.min.js`: the overlay for the script-tag build, injected by `seglet.min.js` only
// when debug is on. It finds the page's instance where `createSegments` registered it.
import { mountDebug } from './debug/mountDebug.js';
import { currentInstance } from './facade/instance.js';
import type { Segments } from './types.js';

const mount = (): boolean => {
  const segments = currentInstance<Segments>(window);
  if (segments) mountDebug(segments, window);
  return segments !== undefined;
};
// Included by hand before `seglet.min.js`, it finds no instance yet: the page's scripts have all run by `load`.
const later = (): void => {
  if (!mount()) console.warn('seglet: seglet-debug.min.js found no seglet instance on this page');
};
if (!mount()) {
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}
