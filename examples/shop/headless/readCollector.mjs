// What the collector received, through its read API (Bearer token).

async function get(collectorUrl, token, path) {
  const res = await fetch(new URL(path, collectorUrl), { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  return res.ok ? body : { error: body.error ?? String(res.status) };
}

/** `GET /v1/profiles/:id`: the stored memberships (or `{ error }`). */
export const readProfile = (collectorUrl, token, anonymousId) =>
  get(collectorUrl, token, `/v1/profiles/${encodeURIComponent(anonymousId)}`);

/** `GET /v1/segments`, each segment's enters and exits summed over its days. */
export async function readSegments(collectorUrl, token) {
  const body = await get(collectorUrl, token, '/v1/segments');
  if (!Array.isArray(body.segments)) return body;
  return body.segments.map(({ id, members, days }) => ({
    id, members,
    enters: days.reduce((n, d) => n + d.enters, 0),
    exits: days.reduce((n, d) => n + d.exits, 0),
  }));
}
