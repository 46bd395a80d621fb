/**
 * Whether the debug overlay should load: `debug: true`, or `?seglet_debug` in the page URL unless
 * the host said `debug: false` (a site can forbid the URL switch). `?seglet_debug=0` or `=false` is off.
 */
export function debugWanted(debug: boolean | undefined, search: string): boolean {
  return debug ?? /[?&]seglet_debug(?!\w|=0|=false)/.test(search);
}
