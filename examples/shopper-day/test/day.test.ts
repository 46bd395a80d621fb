import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.mjs', import.meta.url));
const stdout = execFileSync(process.execPath, [main], { encoding: 'utf8', timeout: 20_000 });
const lines = stdout.split('\n');
const membersLines = lines.filter((l) => / {2}members: /.test(l));
const membersOf = (line: string): string[] => {
  const list = line.split('  members: ')[1] ?? '';
  return list === '(none)' ? [] : list.split(', ');
};

describe('examples/shopper-day', () => {
  it('prints the members at the start and at the end', () => {
    expect(membersLines).toHaveLength(2);
    expect(lines.indexOf(membersLines[0]!)).toBeLessThan(lines.findIndex((l) => / {2}(enter|exit ) {2}/.test(l)));
  });

  it('has a consistent timeline: an enter only for a non-member, an exit only for a member', () => {
    const members = new Set(membersOf(membersLines[0]!));
    for (const line of lines) {
      const change = /^day \d+ \d\d:\d\d {2}(enter|exit ) {2}(\S+)$/.exec(line);
      if (!change) continue;
      const [, kind, segment] = change;
      expect(members.has(segment!), line).toBe(kind === 'exit ');
      if (kind === 'enter') members.add(segment!);
      else members.delete(segment!);
    }
    expect([...members].sort()).toEqual(membersOf(membersLines[1]!).sort());
  });

  it('says in its header until when it runs, and runs until then', () => {
    const until = /until (day \d+ \d\d:\d\d)/.exec(lines[0]!)?.[1];
    expect(until, lines[0]).toBeDefined();
    expect(membersLines[1]!.startsWith(`${until!}  members: `)).toBe(true);
  });
});
