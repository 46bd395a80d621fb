import { propOf } from './checkProps.js';
import { compileTest } from './compileTest.js';
import type { Props, Where } from './types.js';

/** Compiles a `where` map into one predicate over an event's own props (missing is null). */
export function compileWhere(where: Where | undefined): ((props: Props) => boolean) | undefined {
  if (!where) return undefined;
  const checks = Object.keys(where).map((key) => {
    const { fn } = compileTest(where[key]);
    return (props: Props) => fn(propOf(props, key));
  });
  const [a, b] = checks;
  if (!a) return undefined;
  if (!b) return a;
  // Every event of the type runs this: no closure per call (as `every` with an arrow needs), no
  // builtin call for the usual one or two keys.
  if (checks.length === 2) return (props) => a(props) && b(props);
  return (props) => {
    for (let i = 0; i < checks.length; i++) if (!(checks[i] as (p: Props) => boolean)(props)) return false;
    return true;
  };
}
