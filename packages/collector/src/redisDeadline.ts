import { withinTime } from './withinTime.js';

/**
 * How long a command of the store's background work (purge, webhook queue) may go unanswered
 * before that work counts it as failed, by default (ms). node-redis's own `timeout` command
 * option only covers a command still waiting to be written: one Redis has read and not answered
 * (CLIENT PAUSE, DEBUG SLEEP, a stopped process, a silent network path) is waited for without
 * end, and the purge or the webhook sender with it. Its socket `socketTimeout` does not help
 * either: it measures idleness, and every beacon written to a stalled Redis resets it.
 */
export const COMMAND_TIMEOUT_MS = 5_000;

/**
 * The items of a SCAN-like iterator, each page given `ms` to come; one that does not fails the
 * loop, while its command stays queued in the client until answered or its connection is dropped (redisLink.ts).
 */
export async function* boundedEach<T>(items: AsyncIterable<T>, ms: number): AsyncGenerator<T> {
  const it = items[Symbol.asyncIterator]();
  for (;;) {
    const next = await withinTime(it.next(), ms, 'Redis');
    if (next.done === true) return;
    yield next.value;
  }
}
