// `seglet/debug`: the debug overlay, loaded by `createSegments` with `import()` only when debug is
// on (`debug: true` or `?seglet_debug` in the URL), so the main bundle carries none of it.
export { mountDebug } from './debug/mountDebug.js';
