// `seglet-vitals.min.js`: `web-vitals` for the script-tag build, injected by `seglet.min.js` only
// when `data-collect` asks for vitals. It hands the functions to the waiting collector.
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { VITALS_KEY } from './facade/loadVitalsScript.js';

const receive = (window as unknown as Record<symbol, unknown>)[VITALS_KEY];
if (typeof receive === 'function') receive({ onCLS, onFCP, onINP, onLCP, onTTFB });
