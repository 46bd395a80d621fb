import { describe, expect, it } from 'vitest';
import { parseTime, readTime } from '../src/parseTime.js';

describe('parseTime', () => {
  it('reads epoch ms, ISO times with Z or an offset, and a date alone as midnight UTC', () => {
    expect(parseTime(1772359200000.9)).toBe(1772359200000);
    expect(parseTime('1772359200000')).toBe(1772359200000);
    expect(parseTime('2026-03-01T10:00:00Z')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseTime('2026-03-01T11:00:00+01:00')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseTime('2026-03-01 10:00Z')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseTime('2026-02-28T23:59:59.999Z')).toBe(Date.UTC(2026, 1, 28, 23, 59, 59, 999));
    expect(parseTime('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(parseTime('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    expect(parseTime('0000-01-01')).toBe(Date.parse('0000-01-01T00:00:00Z'));
  });

  it('reads a lowercase t and z as RFC 3339 allows (a log written by tools that lowercase their output)', () => {
    expect(parseTime('2026-12-03t10:00:00z')).toBe(Date.UTC(2026, 11, 3, 10));
    expect(parseTime('2026-12-03T10:00:00.5z')).toBe(Date.UTC(2026, 11, 3, 10, 0, 0, 500));
    expect(parseTime('2026-12-03t11:00:00+01:00')).toBe(Date.UTC(2026, 11, 3, 10));
    expect(readTime('2026-12-03t10:00:00')).toEqual({ ok: false, problem: 'has no time zone ("2026-12-03t10:00:00"): add Z for UTC or an offset such as +01:00' });
    expect(readTime('2026-02-30t10:00:00z')).toEqual({ ok: false, problem: 'is not a real date and time ("2026-02-30t10:00:00z")' });
  });

  it('refuses a date or time that does not exist instead of rolling it over', () => {
    for (const value of ['2026-02-30T10:00:00Z', '2026-03-01T24:00:00Z', '2026-02-31', '2026-04-31T00:00:00Z', '2026-02-29', '2026-03-01T10:60:00Z']) {
      expect(parseTime(value), value).toBeNull();
      expect(readTime(value), value).toEqual({ ok: false, problem: `is not a real date and time ("${value}")` });
    }
  });

  it('refuses a date and time without a zone, which Date.parse reads in the machine zone', () => {
    for (const value of ['2026-03-01T10:00:00', '2026-03-01T10:00', '2026-03-01 10:00:00.5']) {
      expect(parseTime(value), value).toBeNull();
      expect(readTime(value), value).toEqual({ ok: false, problem: `has no time zone ("${value}"): add Z for UTC or an offset such as +01:00` });
    }
  });

  it('refuses a number that reads as a time in 2001-5138 only in seconds, microseconds or nanoseconds', () => {
    const seconds = 'which looks like epoch seconds (2026-03-01T10:00:00.000Z), not milliseconds (1970-01-21T12:19:19.200Z); multiply it by 1000';
    expect(readTime(1772359200)).toEqual({ ok: false, problem: `is 1772359200, ${seconds}` });
    expect(readTime('1772359200')).toEqual({ ok: false, problem: `is 1772359200, ${seconds}` });
    expect(readTime(1772359200.5)).toEqual({ ok: false, problem: 'is 1772359200.5, which looks like epoch seconds (2026-03-01T10:00:00.500Z), not milliseconds (1970-01-21T12:19:19.200Z); multiply it by 1000' });
    // A decimal string, as some exports write Unix time (Python's str(time.time())).
    expect(readTime('1772359200.5')).toEqual(readTime(1772359200.5));
    expect(readTime('1772359200000.9')).toEqual({ ok: true, ms: 1772359200000 });
    // GA4's BigQuery export writes event_timestamp in microseconds.
    expect(readTime(1772359200000000)).toEqual({ ok: false, problem: 'is 1772359200000000, which looks like epoch microseconds (2026-03-01T10:00:00.000Z), not milliseconds; divide it by 1000' });
    expect(readTime('1772359200000000000')).toEqual({ ok: false, problem: 'is 1772359200000000000, which looks like epoch nanoseconds (2026-03-01T10:00:00.000Z), not milliseconds; divide it by 1000000' });
    // The bounds: 1e9 s is 2001-09-09, 1e11 ms is 1973-03-03, 1e14 ms is in 5138.
    expect(readTime(1e9 - 1)).toEqual({ ok: true, ms: 999_999_999 });
    expect(readTime(1e9).ok).toBe(false);
    expect(readTime(1e11 - 1).ok).toBe(false);
    expect(readTime(1e11)).toEqual({ ok: true, ms: 1e11 });
    expect(readTime(1e14 - 1)).toEqual({ ok: true, ms: 1e14 - 1 });
    expect(readTime(1e14).ok).toBe(false);
    // Small numbers, as hand-written logs use, and times before 1970 stay milliseconds.
    expect(parseTime(0)).toBe(0);
    expect(parseTime(60_000)).toBe(60_000);
    expect(parseTime(-1772359200)).toBe(-1772359200);
    // The same instants written in ISO 8601 are read as written.
    expect(parseTime('1970-01-21T12:19:19.200Z')).toBe(1772359200);
  });

  it('refuses other formats and instants Date cannot print', () => {
    for (const value of ['1/2/2026', 'soon', '', '9e99', '2026-03-01T10:00:00+99:99', null, {}, Infinity]) {
      expect(readTime(value)).toEqual({ ok: false, problem: 'must be epoch milliseconds or an ISO 8601 time' });
    }
  });
});
