const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time `HH:MM:SS` of an epoch instant, prefixed `YYYY-MM-DD` when not today. */
export function clock(t: number, now = Date.now()): string {
  const d = new Date(t);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return new Date(now).toDateString() === d.toDateString() ? time : `${day} ${time}`;
}

/** A short duration from now: `in 4m 10s`, `in 2h 5m`, `in 3d 1h`; `now` once due. */
export function fromNow(t: number, now: number): string {
  const s = Math.ceil((t - now) / 1000);
  if (s <= 0) return 'now';
  const [d, h, m] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d > 0) return `in ${d}d ${h}h`;
  if (h > 0) return `in ${h}h ${m}m`;
  return m > 0 ? `in ${m}m ${s % 60}s` : `in ${s}s`;
}
