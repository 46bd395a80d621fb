import { describe, expect, it } from 'vitest';
import { parseEvents } from '../src/parseEvents.js';

describe('parseEvents', () => {
  it('ignores a leading byte order mark', () => {
    expect(parseEvents('\uFEFF{"type":"a","t":0}\n{"type":"b","t":1}')).toEqual({
      events: [{ line: 1, type: 'a', t: 0 }, { line: 2, type: 'b', t: 1 }],
      problems: [],
      unit: 'line',
      fromZero: true,
    });
  });
});

describe('parseEvents with a JSON array', () => {
  it('reads a log written as one JSON array (JSON.stringify(engine.events())), one line or pretty-printed', () => {
    const log = [{ type: 'a', t: 0 }, { type: 'b', t: '1970-01-01T00:00:01Z', props: { x: 1 } }];
    const expected = { events: [{ line: 1, type: 'a', t: 0 }, { line: 2, type: 'b', t: 1000, props: { x: 1 } }], problems: [], unit: 'event', fromZero: true };
    expect(parseEvents(JSON.stringify(log))).toEqual(expected);
    expect(parseEvents(`\uFEFF  ${JSON.stringify(log, null, 2).replace(/\n/g, '\r\n')}\n`)).toEqual(expected);
    expect(parseEvents('[]')).toEqual({ events: [], problems: [], unit: 'event', fromZero: false });
  });

  it('names a bad entry by its position in the array', () => {
    expect(parseEvents('[{"type":"a","t":0}, 3, {"t":1}, {"type":"c","t":"soon"}]')).toEqual({
      events: [{ line: 1, type: 'a', t: 0 }],
      problems: [
        'event 2: expected an object {"type","t","props"?}',
        'event 3: "type" must be a string',
        'event 4: "t" must be epoch milliseconds or an ISO 8601 time',
      ],
      unit: 'event',
      fromZero: true,
    });
  });

  it('still reads JSON lines line by line, even when the first line is an array', () => {
    expect(parseEvents('[1]\n{"type":"a","t":0}')).toEqual({
      events: [{ line: 2, type: 'a', t: 0 }],
      problems: ['line 1: expected an object {"type","t","props"?}'],
      unit: 'line',
      fromZero: true,
    });
  });
});
