import type { createClient } from 'redis';
import { withinTime } from './withinTime.js';

type Client = ReturnType<typeof createClient>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The least a PING is given before its connection counts as dead (ms). Dropping one has a cost:
 * what was in flight on it may or may not have been done (a webhook job its take leased waits
 * until a new connection answers, leaseRepair.ts), so a Redis that is only slow for a moment (a
 * fork, a latency spike) keeps it.
 */
const PROBE_MIN_MS = 2_000;

/** Whether `client` answers a PING (an error reply is an answer too) within `ms`. */
const answers = (client: Client, ms: number): Promise<boolean> => withinTime(client.ping().then(() => true, () => true), ms, 'Redis').catch(() => false);

/**
 * The store's connection to Redis, replaced once it stops answering. node-redis reconnects only
 * when its socket fails or closes, and one whose far end vanished without a reset (a stopped
 * process, a failed-over host, a dropped NAT entry) does neither until the kernel gives up on TCP,
 * about 15 minutes, or ever while something still acknowledges; each command sent meanwhile stays
 * queued in the client. Its `pingInterval` PING has no deadline and `socketTimeout` is reset by
 * every write, so neither notices, and a new socket needs a new client (duplicate()).
 */
export class RedisLink {
  private checking = false;
  private closed = false;
  private attempt: Client | undefined;
  // Until a command is answered again, a further drop (a pause that outlasts one) is no news.
  private reported = false;
  private readonly probeMs: number;
  // When `client`'s reconnection got its socket, until Redis answered the handshake on it.
  private handshakeSince: number | undefined;

  constructor(public client: Client, private readonly waitMs: number, private readonly host: string, private readonly report: (e: unknown) => void) {
    this.probeMs = Math.max(waitMs, PROBE_MIN_MS);
    this.follow(client);
  }

  /** `work`, a command of `client`: still unanswered after `waitMs`, it has the connection checked. */
  watch<T>(work: Promise<T>): Promise<T> {
    // node-redis gives a reconnection's handshake no deadline, and commands fail at once while it
    // waits, so no command stays unanswered long enough to have it checked.
    if (this.stuck()) this.check();
    const timer = setTimeout(() => this.check(), this.waitMs);
    timer.unref();
    return work.then((v) => { this.reported = false; return v; }).finally(() => clearTimeout(timer));
  }

  /** Stops replacing the connection; the caller closes `client`. */
  close(): void {
    this.closed = true;
    if (this.attempt?.isOpen === true) this.attempt.destroy();
  }

  // 'connect' is a socket opened, 'ready' its handshake answered; after an 'error' node-redis
  // tries again after a backoff (a refused port, a reset), which is still progress.
  private follow(client: Client): void {
    const settled = () => { if (this.client === client) this.handshakeSince = undefined; };
    client.on('connect', () => { if (this.client === client) this.handshakeSince = Date.now(); }).on('ready', settled).on('error', settled);
  }

  /** Whether the handshake on `client`'s new socket has gone unanswered as long as a PING may. */
  private stuck(): boolean {
    return this.handshakeSince !== undefined && Date.now() - this.handshakeSince > this.probeMs;
  }

  // One check at a time: every command unanswered meanwhile tells the same news.
  private check(): void {
    if (this.checking || this.closed) return;
    this.checking = true;
    void this.replaceIfSilent().finally(() => { this.checking = false; });
  }

  private async replaceIfSilent(): Promise<void> {
    const old = this.client;
    const probeMs = this.probeMs;
    let news: string;
    if (old.isReady) {
      if (await answers(old, probeMs) || this.closed) return;
      news = `stopped answering (no PING reply within ${probeMs} ms)`;
    } else if (this.stuck()) {
      news = `accepted a new connection and did not answer its handshake within ${probeMs} ms`;
    } else {
      // node-redis is reconnecting it, and commands fail at once meanwhile.
      return;
    }
    if (!this.reported) this.report(new Error(`seglet: Redis at ${this.host} ${news}; dropping the connection and connecting anew`));
    this.reported = true;
    // Fails what is queued on it, which would otherwise wait (and take memory) for good; until a
    // new connection answers, commands fail at once, as while node-redis reconnects.
    old.destroy();
    for (let tries = 0; !this.closed; tries++) {
      const next = old.duplicate();
      // The drop was reported: the failed attempts are not news, the new connection's errors are.
      next.on('error', (e: unknown) => { if (this.client === next) this.report(e); });
      this.attempt = next;
      // A stopped Redis still accepts the TCP connection (its backlog) and never answers the handshake.
      const connecting = next.connect().then(() => answers(next, this.waitMs), () => false);
      if (await withinTime(connecting, this.waitMs, 'Redis').catch(() => false) && !this.closed) {
        this.client = next;
        this.attempt = undefined;
        this.handshakeSince = undefined;
        this.follow(next);
        return;
      }
      if (next.isOpen) next.destroy();
      await sleep(Math.min(50 * 2 ** tries, 2_000));
    }
  }
}
