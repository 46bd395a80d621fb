import { facadeSuite } from './fixtures/facadeSuite.js';

facadeSuite('source');
