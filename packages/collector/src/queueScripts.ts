/**
 * Parses a queue member `<seq>|<createdAt>|<attempts>|<body>`: its sequence number and the
 * body's anonymousId (nil if the body does not parse).
 */
const JOB_OF = `
local function jobOf(m)
  local seq, body = string.match(m, '^([^|]*)|[^|]*|[^|]*|(.*)$')
  local ok, j = pcall(cjson.decode, body or '')
  if ok and type(j) == 'table' and type(j.anonymousId) == 'string' then return seq, j.anonymousId end
  return seq, nil
end
`;

/**
 * Leases due webhook jobs. A job of a forgotten id (its tombstone outlives every job, and no job
 * is queued while it exists) is deleted instead: jobs queued before `wj:` existed are not in the
 * index, so the forget could not remove them.
 *
 * ARGV: queue key, now, limit, lease-until, prefix.
 */
export const TAKE_SCRIPT = `${JOB_OF}
local due = redis.call('ZRANGEBYSCORE', ARGV[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, m in ipairs(due) do
  local seq, aid = jobOf(m)
  if aid and redis.call('EXISTS', ARGV[5] .. 't:' .. aid) == 1 then
    redis.call('ZREM', ARGV[1], m)
    redis.call('HDEL', ARGV[5] .. 'wj:' .. aid, seq)
  else
    redis.call('ZADD', ARGV[1], ARGV[4], m)
    table.insert(out, m)
  end
end
return out
`;

/**
 * Settles a leased job: deletes it, or replaces it with its next attempt. A job no longer queued
 * (its profile was forgotten while it was being delivered, or purged) is not queued again.
 *
 * ARGV: prefix, member, retry-at ('' to delete), next member, retry window in ms.
 */
export const SETTLE_SCRIPT = `${JOB_OF}
local P, m = ARGV[1], ARGV[2]
if redis.call('ZREM', P .. 'wh', m) == 0 then return 0 end
local seq, aid = jobOf(m)
if ARGV[3] == '' then
  if aid then redis.call('HDEL', P .. 'wj:' .. aid, seq) end
  return 1
end
redis.call('ZADD', P .. 'wh', ARGV[3], ARGV[4])
if aid then
  redis.call('HSET', P .. 'wj:' .. aid, seq, ARGV[4])
  redis.call('PEXPIRE', P .. 'wj:' .. aid, ARGV[5])
end
return 1
`;
