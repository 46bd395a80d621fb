// Loaded by every page: the header's cart count and the cart abandoners' discount banner.
import { showCount } from './cart.js';
import './offer.js';

showCount();
