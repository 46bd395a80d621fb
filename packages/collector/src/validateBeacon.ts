import type { Beacon, JsonValue, MembershipChange } from './types.js';

/** A schema violation: `path` is the JSON pointer of the offending value. */
export class SchemaError extends Error {
  readonly path: string;
  constructor(message: string, path: string) {
    super(`seglet: ${message}`);
    this.name = 'SchemaError';
    this.path = path;
  }
}

/** `id` and `anonymousId`: 1-128 of `[A-Za-z0-9_-]`. */
export const ID = /^[A-Za-z0-9_-]{1,128}$/;
/** Segment ids, as in the rule language. */
export const SEGMENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const DAY_MS = 86_400_000;

type Obj = { [key: string]: JsonValue };
const isObject = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function time(v: JsonValue | undefined, path: string, now: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > now + DAY_MS) {
    throw new SchemaError('must be an integer time in ms between 0 and now + 1 day', path);
  }
  return v;
}

function segment(v: JsonValue | undefined, path: string): string {
  if (typeof v !== 'string' || !SEGMENT_ID.test(v)) throw new SchemaError('must be a segment id (^[a-z0-9][a-z0-9_-]{0,63}$)', path);
  return v;
}

/**
 * Checks a parsed body against the beacon protocol (runtime spec sections 4 and 7) at server
 * time `now`. Unknown keys are ignored; the first violation throws a {@link SchemaError}.
 */
export function validateBeacon(body: JsonValue, now: number): Beacon {
  if (!isObject(body)) throw new SchemaError('body must be a JSON object', '');
  if (body.v !== 1) throw new SchemaError('v must be 1', '/v');
  for (const key of ['id', 'anonymousId'] as const) {
    const v = body[key];
    if (typeof v !== 'string' || !ID.test(v)) throw new SchemaError(`${key} must be 1-128 of [A-Za-z0-9_-]`, `/${key}`);
  }
  const id = body.id as string;
  const anonymousId = body.anonymousId as string;
  const out: Beacon = { id, anonymousId, forget: false, changes: [] };
  if (body.userId !== undefined) {
    if (typeof body.userId !== 'string' || body.userId.length > 256) throw new SchemaError('userId must be a string of at most 256 characters', '/userId');
    out.userId = body.userId;
  }
  if (body.forget !== undefined) {
    if (body.forget !== true) throw new SchemaError('forget must be true when present', '/forget');
    out.forget = true;
  }
  if (body.sentAt !== undefined || !out.forget) out.sentAt = time(body.sentAt, '/sentAt', now);
  if (out.forget) return out;
  const changes = body.changes;
  if (!Array.isArray(changes)) throw new SchemaError('changes must be an array', '/changes');
  out.changes = changes.map((c, i): MembershipChange => {
    const path = `/changes/${i}`;
    if (!isObject(c)) throw new SchemaError('change must be an object', path);
    if (typeof c.member !== 'boolean') throw new SchemaError('member must be a boolean', `${path}/member`);
    return { segment: segment(c.segment, `${path}/segment`), member: c.member, t: time(c.t, `${path}/t`, now) };
  });
  if (body.members !== undefined) {
    const members = body.members;
    if (!Array.isArray(members)) throw new SchemaError('members must be an array', '/members');
    out.members = [...new Set(members.map((m, i) => segment(m, `/members/${i}`)))];
  }
  return out;
}
