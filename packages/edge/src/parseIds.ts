/** The ids of a comma-list attribute (`"a, b"`), trimmed, empty entries dropped. */
export function parseIds(list: string | null): string[] {
  if (!list) return [];
  return list.split(',').map((id) => id.trim()).filter((id) => id !== '');
}
