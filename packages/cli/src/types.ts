/** What a command produced: the text to print and the process exit code. */
export interface CommandResult {
  /**
   * Text for the terminal, newline-terminated (empty when there is nothing to say). Without
   * `messages` it is the result when `code` is 0 and the failure otherwise; with `messages` it is
   * the result even though `code` is 1.
   */
  output: string;
  /** 0 success, 1 a problem with the input (invalid rules, missing file, bad JSON), 2 bad usage. */
  code: ExitCode;
  /**
   * Problems met on the way to a result that was still produced (simulate's skipped lines),
   * newline-terminated, for standard error; set only when there are some.
   */
  messages?: string;
}

/** Exit codes of the `seglet` command. */
export type ExitCode = 0 | 1 | 2;

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Path of the rule set (JSON). */
  rules: string;
  /** Path of the event log: JSON lines of `{"type","t","props"?}`, or one JSON array of them. */
  events: string;
  /** Replay up to this instant: an ISO 8601 time or epoch milliseconds. Default: the last event. */
  at?: string;
  /** IANA time zone for `hour`/`weekday` context. Default: the machine's local zone. */
  tz?: string;
  /** The context from the start of the replay, as a JSON object (`{"device":"mobile"}`); not `hour` or `weekday`. */
  context?: string;
  /** The user's traits from the start of the replay, as a JSON object (`{"plan":"pro"}`). */
  traits?: string;
  /** The anonymous id `bucket` conditions hash. Default: `seglet-cli`. */
  anonymousId?: string;
}

/** Limits of `simulate`, not options of the command: a lower cap lets tests reach it quickly. */
export interface SimulateLimits {
  /** Wake-ups listed one by one before the clock jumps (default 1,000,000). */
  maxWakeups: number;
}

/** Where `main` writes; the real CLI passes `process.stdout`/`process.stderr` writers. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}
