import { validateDuration } from './validateDuration.js';
import { validateKeys } from './validateKeys.js';
import { at, fail, isPlainObject, show, type ValidationContext } from './validateShared.js';
import { validateEventType, validateWithin } from './validateSource.js';
import { validateWhere } from './validateTest.js';

/** Checks `unless` of `abandoned`: an event type, or `{ event, where? }`. */
function validateUnless(ctx: ValidationContext, value: unknown, path: string): void {
  if (typeof value === 'string') {
    validateEventType(ctx, value, path);
  } else if (isPlainObject(value)) {
    validateKeys(ctx, value, path, ['event', 'where'], '"unless"');
    if (Object.hasOwn(value, 'event')) validateEventType(ctx, value.event, at(path, 'event'));
    else fail(ctx, path, '"unless" needs "event": the event type that ends the wait, e.g. "purchase"');
    if (Object.hasOwn(value, 'where')) validateWhere(ctx, value.where, at(path, 'where'));
  } else {
    fail(ctx, path, `"unless" needs an event type such as "purchase" or {"event": "purchase", "where": {...}}, got ${show(value)}`);
  }
}

/** Checks the parameters of an `abandoned` condition (its keys are checked by the caller). */
export function validateAbandoned(ctx: ValidationContext, object: Record<string, unknown>, path: string): void {
  validateEventType(ctx, object.abandoned, at(path, 'abandoned'));
  if (Object.hasOwn(object, 'where')) validateWhere(ctx, object.where, at(path, 'where'));
  if (Object.hasOwn(object, 'unless')) validateUnless(ctx, object.unless, at(path, 'unless'));
  else fail(ctx, path, '"abandoned" needs "unless": the event that completes it, e.g. "unless": "purchase"');
  if (Object.hasOwn(object, 'after')) validateDuration(ctx, object.after, at(path, 'after'), true);
  else fail(ctx, path, '"abandoned" needs "after": how long to wait, e.g. "after": "30m"');
  if (Object.hasOwn(object, 'within')) validateWithin(ctx, object.within, at(path, 'within'), false);
}
