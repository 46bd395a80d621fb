import { parseArgs } from 'node:util';
import type { CommandResult, ExitCode, Io } from './types.js';
import { check } from './check.js';
import { simulate } from './simulate.js';
import { size } from './size.js';
import { STDIN } from './readJson.js';
import { version } from './version.js';

/** The text of `seglet --help`. */
export const USAGE = `Usage: seglet <command> [options]

Commands (a file named - is read from standard input):
  check <rules.json>                      list every problem of a rule set (exit 1 on errors)
  simulate <rules.json> <events.jsonl>    replay an event log (JSON lines or a JSON array), print enters and exits
      --at <ISO time | ms>                  replay up to this instant (default: the last event)
      --tz <IANA zone>                      time zone for hour/weekday (default: local)
  size <rules.json>                       minified and gzip size, segments and conditions
  --version, -v                           print the version of seglet

Exit codes: 0 ok, 1 invalid input, 2 bad usage.
`;

/**
 * Runs the `seglet` command line (`argv` without node and the script) and returns the exit code.
 * Results go to `io.stdout`, messages and failures to `io.stderr`: a result that comes with
 * messages (simulate with skipped lines, exit 1) still goes to `io.stdout`, so that
 * `> timeline.txt` or `| grep` gets it.
 */
export function main(argv: string[], io: Io): ExitCode {
  const { output, code, messages } = run(argv);
  if (messages !== undefined) io.stderr(messages);
  if (output !== '') (code === 0 || messages !== undefined ? io.stdout : io.stderr)(output);
  return code;
}

function run(argv: string[]): CommandResult {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check': return withArgs(rest, 1, false, ([rules = '']) => check(rules));
    case 'size': return withArgs(rest, 1, false, ([rules = '']) => size(rules));
    case 'simulate': return withArgs(rest, 2, true, ([rules = '', events = ''], values) => simulate({ rules, events, ...values }));
    case '-h': case '--help': case 'help': return help();
    case '-v': case '--version': return { output: `${version()}\n`, code: 0 };
    case undefined: return usage();
    default: return usage(`unknown command "${command}"`);
  }
}

/** Parses a command's arguments: exactly `count` file paths (checked here, hence the `''` defaults), and --at/--tz when `timed`. */
function withArgs(
  args: string[], count: number, timed: boolean,
  command: (paths: string[], values: { at?: string; tz?: string }) => CommandResult,
): CommandResult {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: timed ? { at: { type: 'string' }, tz: { type: 'string' }, help: { type: 'boolean', short: 'h' } } : { help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  if (parsed.values.help === true) return help();
  if (parsed.positionals.length !== count) {
    return usage(`expected ${count === 1 ? 'one file' : `${count} files`}, got ${parsed.positionals.length}`);
  }
  // Standard input can be read once.
  if (parsed.positionals.filter((p) => p === STDIN).length > 1) return usage(`only one file can be ${STDIN} (standard input)`);
  const { at, tz } = parsed.values as { at?: string; tz?: string };
  return command(parsed.positionals, { ...(at === undefined ? {} : { at }), ...(tz === undefined ? {} : { tz }) });
}

/** Asked for, the usage is the result: stdout and exit 0, so `seglet --help | less` shows it. */
function help(): CommandResult {
  return { output: USAGE, code: 0 };
}

function usage(problem?: string): CommandResult {
  return { output: problem === undefined ? USAGE : `seglet: ${problem}\n\n${USAGE}`, code: 2 };
}
