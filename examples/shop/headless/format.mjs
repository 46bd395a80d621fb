// Text formatting of the headless report.

/** 5025000 gives `+1:23:45`. */
export function formatOffset(ms) {
  const s = Math.floor(ms / 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `+${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** One line per segment: members now, enters and exits received. */
export function formatSegments(segments) {
  if (!Array.isArray(segments)) return [`error: ${segments.error}`];
  return segments
    .slice()
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => `${s.id.padEnd(15)} members ${s.members}  enters ${s.enters}  exits ${s.exits}`);
}
