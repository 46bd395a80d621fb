/**
 * Whether the debug overlay should load: `debug: true`, or `?seglet_debug` in the page URL unless
 * the host said `debug: false` (a site can forbid the URL switch). The switch is off with the
 * values `data-debug` reads as false (`0`, `false`, `no`, `off`, in any case): `=off` loaded it.
 */
export function debugWanted(debug: boolean | undefined, search: string): boolean {
  return debug ?? /[?&]seglet_debug(?!\w|=(?:0|false|no|off)(?:[&#]|$))/i.test(search);
}
