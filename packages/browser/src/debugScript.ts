// `seglet-debug.min.js`: the overlay for the script-tag build, injected by `seglet.min.js` only
// when debug is on. It finds the page's instance where `createSegments` registered it.
import { mountDebug } from './debug/mountDebug.js';
import { currentInstance } from './facade/instance.js';
import type { Segments } from './types.js';

const segments = currentInstance<Segments>(window);
if (segments) mountDebug(segments, window);
