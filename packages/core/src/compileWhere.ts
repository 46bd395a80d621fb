import { propOf } from './checkProps.js';
import { compileTest } from './compileTest.js';
import type { Props, Where } from './types.js';

/** Compiles a `where` map into one predicate over an event's null-prototype props (missing is null). */
export function compileWhere(where: Where | undefined): ((props: Props) => boolean) | undefined {
  if (!where) return undefined;
  const checks = Object.keys(where).map((key) => {
    const { fn } = compileTest(where[key]);
    return (props: Props) => fn(propOf(props, key));
  });
  if (checks.length === 0) return undefined;
  return (props) => checks.every((c) => c(props));
}
