export { browserContext, type BrowserContext } from './browserContext.js';
export { sessionLanding, landingOf, clearLanding, LANDING_KEY, type Landing } from './landing.js';
