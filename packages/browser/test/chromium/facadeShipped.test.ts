import { facadeSuite } from './fixtures/facadeSuite.js';

// The script tag users get (dist/seglet.min.js): the minifier renames internal property names
// (rollup.config.ts), and a name renamed by mistake breaks this file only.
facadeSuite('shipped');
