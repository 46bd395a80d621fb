/** Segment ids as the rule language allows them. */
export const SEGMENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The ids of a comma list attribute (`"a, b"`), trimmed, empty entries dropped. */
export function parseIds(list: string | null): string[] {
  if (!list) return [];
  return list.split(',').map((id) => id.trim()).filter((id) => id !== '');
}
