import type { Props } from '@seglet/core';

/** Props read from an option, or what is wrong with them (a phrase to follow the option's name). */
export type PropsResult = { ok: true; props: Props } | { ok: false; problem: string };

/** What each option's message shows as an example. */
const EXAMPLES = { '--context': '{"device":"mobile"}', '--traits': '{"plan":"pro"}' } as const;

/**
 * The JSON object given to `--context` or `--traits`. Only its shape is checked here; keys and
 * values are checked by the engine, which knows the limits. `hour` and `weekday` in a context are
 * refused: the engine computes them from its clock and ignores the values given, so a rule on
 * `hour` would have been simulated with another hour than the one the user asked for.
 */
export function parseProps(option: keyof typeof EXAMPLES, text: string): PropsResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `is not valid JSON: ${(e as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: `must be a JSON object of keys and values, e.g. ${option} '${EXAMPLES[option]}'` };
  }
  if (option === '--context') {
    const clock = ['hour', 'weekday'].find((k) => Object.hasOwn(value, k));
    if (clock !== undefined) return { ok: false, problem: `"${clock}" cannot be set: hour and weekday follow the simulated clock; use --at and --tz` };
  }
  return { ok: true, props: value as Props };
}
