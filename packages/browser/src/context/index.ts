export { browserContext, type BrowserContext } from './browserContext.js';
export { sessionLanding, landingOf, LANDING_KEY, type Landing } from './landing.js';
