import { describe, expect, it } from 'vitest';
import { parseEvents } from '../src/parseEvents.js';

describe('parseEvents', () => {
  it('ignores a leading byte order mark', () => {
    expect(parseEvents('\uFEFF{"type":"a","t":0}\n{"type":"b","t":1}')).toEqual({
      events: [{ line: 1, type: 'a', t: 0 }, { line: 2, type: 'b', t: 1 }],
      problems: [],
    });
  });
});
