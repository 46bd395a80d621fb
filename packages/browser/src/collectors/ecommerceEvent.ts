import type { Primitive, PropValue } from '@seglet/core';
import { cleanPrimitive, cleanProps, MAX_ITEMS } from './cleanProps.js';

/** The GA4 ecommerce events that become seglet events of the same name. */
export const ECOMMERCE_EVENTS: ReadonlySet<string> = /*#__PURE__*/ new Set([
  'view_item', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase',
]);

type Bag = Record<string, unknown>;

/**
 * Reads one `dataLayer` entry: a GTM object `{event, ecommerce}` or a gtag `arguments` object
 * (`['event', name, params]`). Returns the seglet event for a GA4 ecommerce push, else `null`
 * (other events, `{ecommerce: null}` clears, config and consent commands).
 * `items[]` is flattened into array props `item_id` and `item_category`, `quantity` is the sum
 * of the items' quantities (an item without one counts 1, as in GA4), plus `value`, `currency`
 * and, for `purchase`, `transaction_id`.
 */
export function ecommerceEvent(entry: unknown): { type: string; props: Record<string, PropValue> } | null {
  let name: unknown;
  let data: unknown;
  if (isArguments(entry)) {
    if (entry[0] !== 'event') return null;
    name = entry[1];
    data = entry[2];
  } else if (isBag(entry)) {
    name = entry['event'];
    data = entry['ecommerce'];
  }
  if (typeof name !== 'string' || !ECOMMERCE_EVENTS.has(name) || !isBag(data)) return null;
  const items = Array.isArray(data['items']) ? data['items'].filter(isBag) : [];
  const props: Record<string, unknown> = {
    item_id: column(items, 'item_id'),
    item_category: column(items, 'item_category'),
    value: toNumber(data['value']),
    currency: typeof data['currency'] === 'string' ? data['currency'] : undefined,
  };
  if (items.length > 0) props['quantity'] = items.reduce((sum, item) => sum + (toNumber(item['quantity']) ?? 1), 0);
  if (name === 'purchase') props['transaction_id'] = cleanPrimitive(data['transaction_id']);
  const present = Object.entries(props).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0));
  return { type: name, props: cleanProps(Object.fromEntries(present)) };
}

function column(items: Bag[], key: string): Primitive[] {
  const out: Primitive[] = [];
  for (const item of items) {
    const value = cleanPrimitive(item[key]);
    if (typeof value === 'string' || typeof value === 'number') out.push(value);
    if (out.length === MAX_ITEMS) break;
  }
  return out;
}

/** Numbers, and numeric strings as GA4 accepts them (`"49.90"`). */
function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isArguments(value: unknown): value is ArrayLike<unknown> {
  return Object.prototype.toString.call(value) === '[object Arguments]' || Array.isArray(value);
}
