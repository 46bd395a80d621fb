import { describe, expect, it } from 'vitest';
import { bucketOf } from '@seglet/core';
import { simulate } from '../src/simulate.js';
import { main } from '../src/main.js';
import { scenario, tempFile } from './files.js';

const events = tempFile('context.jsonl', '{"type":"page_view","t":"2026-03-01T17:30:00Z"}\n');
const at = '2026-03-01T18:30:00Z';

describe('simulate --context, --traits and --anonymous-id', () => {
  it('gives the engine a context from the start (device, path)', () => {
    const rules = scenario('mobile-evening');
    expect(simulate({ rules, events, at, tz: 'UTC', context: '{"device":"mobile","path":"/"}' })).toEqual({
      output: '2026-03-01T18:00:00.000Z  enter  mobile-evening\n1 event replayed\nmembers at 2026-03-01T18:30:00.000Z: mobile-evening\n',
      code: 0,
    });
    expect(simulate({ rules, events, at, tz: 'UTC', context: '{"device":"desktop"}' }).output).toContain(': (none)\n');
    expect(simulate({ rules, events, at, tz: 'UTC' }).output).toContain(': (none)\n');
  });

  it('gives the engine traits, as identify() sets them', () => {
    const rules = tempFile('pro.json', { version: 1, segments: { pro: { when: { trait: 'plan', eq: 'pro' } } } });
    expect(simulate({ rules, events, at, traits: '{"plan":"pro","seats":3}' }).output).toBe('1 event replayed\nmembers at 2026-03-01T18:30:00.000Z: pro\n');
    expect(simulate({ rules, events, at, traits: '{"plan":"free"}' }).output).toContain(': (none)\n');
  });

  it('computes bucket for the anonymous id given, seglet-cli by default', () => {
    const rules = scenario('holdout');
    const ids = Array.from({ length: 1000 }, (_, i) => `visitor-${(i * 2654435761) % 2 ** 32}`);
    const inside = ids.find((id) => bucketOf('holdout', id) < 0.1) as string;
    const outside = ids.find((id) => bucketOf('holdout', id) >= 0.1) as string;
    expect(simulate({ rules, events, at, anonymousId: inside }).output).toContain(': holdout\n');
    expect(simulate({ rules, events, at, anonymousId: outside }).output).toContain(': (none)\n');
    const held = bucketOf('holdout', 'seglet-cli') < 0.1 ? ['seglet-cli'] : [];
    expect(simulate({ rules, events, at }).output).toContain(`: ${held.includes('seglet-cli') ? 'holdout' : '(none)'}\n`);
  });

  it('refuses what the engine cannot take, with exit 2 and the option named', () => {
    const rules = scenario('mobile-evening');
    const refuse = (options: { context?: string; traits?: string; anonymousId?: string }) => simulate({ rules, events, at, ...options });
    expect(refuse({ context: '{device:"mobile"}' })).toEqual({ output: expect.stringMatching(/^seglet: --context is not valid JSON: .+\n$/) as string, code: 2 });
    expect(refuse({ context: '["mobile"]' })).toEqual({ output: 'seglet: --context must be a JSON object of keys and values, e.g. --context \'{"device":"mobile"}\'\n', code: 2 });
    expect(refuse({ traits: 'pro' }).output).toMatch(/^seglet: --traits is not valid JSON: /);
    expect(refuse({ traits: 'null' })).toEqual({ output: 'seglet: --traits must be a JSON object of keys and values, e.g. --traits \'{"plan":"pro"}\'\n', code: 2 });
    expect(refuse({ context: '{"device":{"type":"mobile"}}', traits: '{"plan":"pro"}' }))
      .toEqual({ output: 'seglet: --context /device: object is not allowed; use a string, number, boolean or null\n', code: 2 });
    expect(refuse({ traits: '{"a b":1,"tags":[[1]]}' }))
      .toEqual({ output: 'seglet: --traits /a b: "a b" is not an allowed key ([A-Za-z0-9_.:-]{1,64}, not __proto__/constructor/prototype); /tags/0: a nested array is not allowed; use a string, number, boolean or null\n', code: 2 });
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])));
    expect(refuse({ traits: many })).toEqual({ output: 'seglet: --traits: 33 keys; at most 32\n', code: 2 });
    expect(refuse({ context: '{"hour":20}' }))
      .toEqual({ output: 'seglet: --context "hour" cannot be set: hour and weekday follow the simulated clock; use --at and --tz\n', code: 2 });
    expect(refuse({ anonymousId: '' })).toEqual({ output: 'seglet: --anonymous-id must not be empty\n', code: 2 });
  });

  it('takes the options on the command line', () => {
    let stdout = '';
    const code = main(['simulate', scenario('mobile-evening'), events, '--at', at, '--tz', 'UTC', '--context', '{"device":"mobile"}', '--traits={}', '--anonymous-id', 'a1'], {
      stdout: (t) => { stdout += t; }, stderr: () => undefined,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('members at 2026-03-01T18:30:00.000Z: mobile-evening\n');
  });
});
