/**
 * `work`, or a rejection once `ms` have passed without it settling. The work itself goes on: a
 * store that answers late still commits, and the client's retry of the same batch finds it.
 */
export function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`seglet: ${what} did not answer within ${ms} ms`)); }, ms);
  });
  return Promise.race([work, late]).finally(() => { clearTimeout(timer); });
}
