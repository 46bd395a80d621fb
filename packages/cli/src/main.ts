import { isatty } from 'node:tty';
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
      --context <JSON object>               context from the start, e.g. '{"device":"mobile"}'
      --traits <JSON object>                the user's traits from the start, e.g. '{"plan":"pro"}'
      --anonymous-id <id>                   the id bucket conditions hash (default: seglet-cli)
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
  const { output, code, messages } = run(argv, io);
  if (messages !== undefined) io.stderr(messages);
  if (output !== '') (code === 0 || messages !== undefined ? io.stdout : io.stderr)(output);
  return code;
}

function run(argv: string[], io: Io): CommandResult {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check': return withArgs(rest, 1, {}, io, ([rules = '']) => check(rules));
    case 'size': return withArgs(rest, 1, {}, io, ([rules = '']) => size(rules));
    case 'simulate': return withArgs(rest, 2, SIMULATE_OPTIONS, io, ([rules = '', events = ''], values) => simulate({ rules, events, ...values }));
    case '-h': case '--help': case 'help': return help();
    case '-v': case '--version': return { output: `${version()}\n`, code: 0 };
    case undefined: return usage();
    default: return usage(`unknown command "${command}"`);
  }
}

/** The options of `simulate` on the command line, by the name of their field in `SimulateOptions`. */
const SIMULATE_OPTIONS = { at: 'at', tz: 'tz', context: 'context', traits: 'traits', 'anonymous-id': 'anonymousId' } as const;

type StringOptions = Partial<Record<string, string>>;

/**
 * Parses a command's arguments: exactly `count` file paths (checked here, hence the `''`
 * defaults), and the string options named in `options` (`--anonymous-id`), handed to `command`
 * under their field names (`anonymousId`).
 */
function withArgs(
  args: string[], count: number, options: Record<string, string>, io: Io,
  command: (paths: string[], values: StringOptions) => CommandResult,
): CommandResult {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true, tokens: true,
      options: { ...Object.fromEntries(Object.keys(options).map((name) => [name, { type: 'string' as const }])), help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  if (parsed.values.help === true) return help();
  // parseArgs keeps the last of an option given twice: `--context A --context B` dropped A unseen.
  const names = parsed.tokens.flatMap((t) => (t.kind === 'option' && t.name !== 'help' ? [t.name] : []));
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    const merge = twice === 'context' || twice === 'traits' ? ', with every key in one JSON object' : '';
    return usage(`--${twice} is given more than once; give it once${merge}`);
  }
  if (parsed.positionals.length !== count) {
    return usage(`expected ${count === 1 ? 'one file' : `${count} files`}, got ${parsed.positionals.length}`);
  }
  // Standard input can be read once.
  if (parsed.positionals.filter((p) => p === STDIN).length > 1) return usage(`only one file can be ${STDIN} (standard input)`);
  const values: StringOptions = {};
  for (const [name, field] of Object.entries(options)) {
    const value: unknown = (parsed.values as Record<string, unknown>)[name];
    if (typeof value === 'string') values[field] = value;
  }
  // At a terminal, standard input waits for typing without a prompt, and the command looked hung.
  const fromTerminal = parsed.positionals.indexOf(STDIN);
  if (fromTerminal >= 0 && isatty(0)) {
    io.stderr(`seglet: reading ${fromTerminal === 0 ? 'the rule set' : 'the event log'} from the terminal: paste it, then press Ctrl-D on an empty line (Ctrl-Z, Enter on Windows)\n`);
  }
  return command(parsed.positionals, values);
}

/** Asked for, the usage is the result: stdout and exit 0, so `seglet --help | less` shows it. */
function help(): CommandResult {
  return { output: USAGE, code: 0 };
}

function usage(problem?: string): CommandResult {
  return { output: problem === undefined ? USAGE : `seglet: ${problem}\n\n${USAGE}`, code: 2 };
}
