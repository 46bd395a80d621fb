/**
 * The overlay's own look. `all: initial` on the host stops inheritance from the page; `!important`
 * there wins over page rules that match the host (a shadow root's important rules beat the page's);
 * `all` leaves `direction` alone, so it is set too: an RTL page would mirror the panel.
 */
export const OVERLAY_CSS = `
:host{all:initial!important;direction:ltr!important;position:fixed!important;right:12px!important;bottom:12px!important;z-index:2147483647!important;display:block!important}
.panel{box-sizing:border-box;width:min(380px,calc(100vw - 24px));max-height:min(70vh,560px);display:flex;flex-direction:column;
font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#e8e8e8;background:#1c1f24;
border:1px solid #3b4048;border-radius:8px;box-shadow:0 6px 24px rgba(0,0,0,.35);overflow:hidden}
header{display:flex;align-items:center;gap:6px;padding:6px 8px;background:#262a31;border-bottom:1px solid #3b4048}
header h2{flex:1;margin:0;font:inherit;font-weight:700}
button{font:inherit;color:inherit;background:#343a43;border:1px solid #4a515c;border-radius:4px;padding:1px 7px;cursor:pointer}
button:focus-visible,summary:focus-visible{outline:2px solid #7ab7ff;outline-offset:1px}
.body{overflow:auto;padding:6px 8px}
.collapsed .body{display:none}
.collapsed{width:auto}
h3{margin:8px 0 4px;font:inherit;font-weight:700;color:#9fb3c8}
p{margin:2px 0}
ul,ol{margin:0;padding-left:14px}
.tree{padding-left:0;list-style:none}
.tree ul{list-style:none;padding-left:14px;border-left:1px dotted #4a515c}
details{margin:2px 0}
summary{cursor:pointer}
.yes .mark,.yes>.mark,.member{color:#6ee787}
.no .mark,.no>.mark{color:#ff8a80}
.no{color:#c3c3c3}
.member{font-weight:700}
.events{padding-left:0;list-style:none}
.events time{color:#8b949e}
.events li{overflow-wrap:anywhere}
.events span{color:#b0bac5}
.muted{color:#8b949e}
`;

/**
 * Styles the shadow root with a constructed stylesheet, which a CSP without `'unsafe-inline'`
 * for styles still allows; a `<style>` element only where constructed sheets are missing.
 */
export function applyStyles(shadow: ShadowRoot): void {
  const win = shadow.ownerDocument.defaultView as (Window & typeof globalThis) | null;
  try {
    if (win && 'adoptedStyleSheets' in shadow && typeof win.CSSStyleSheet === 'function') {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(OVERLAY_CSS);
      shadow.adoptedStyleSheets = [sheet];
      return;
    }
  } catch {
    // Falls through to the element.
  }
  const style = shadow.ownerDocument.createElement('style');
  style.textContent = OVERLAY_CSS;
  shadow.append(style);
}
