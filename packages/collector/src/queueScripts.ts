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
 * index, so the forget could not remove them. The members it leased are also listed under its own
 * key, which lives as long as the lease: a take whose answer is lost can still be released.
 *
 * ARGV: queue key, now, limit, lease-until, prefix, key of this take's list, lease in ms.
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
    redis.call('RPUSH', ARGV[6], m)
    table.insert(out, m)
  end
end
if #out > 0 then redis.call('PEXPIRE', ARGV[6], ARGV[7]) end
return out
`;

/**
 * Whether `m` is still under the lease that ends at `untilS`. Any later lease of the same member
 * ends later (it is taken once that one has run out), and a settle replaces the member, so an
 * equal score means no other take has had it since.
 */
const LEASED = `
local function leased(key, m, untilS)
  local s = redis.call('ZSCORE', key, m)
  return s ~= false and tonumber(s) == tonumber(untilS)
end
`;

/**
 * Settles a leased job: deletes it, or replaces it with its next attempt. A job no longer queued
 * (its profile was forgotten while it was being delivered, or purged) is not queued again, nor is
 * one whose lease ran out and was taken again (its new holder settles it).
 *
 * ARGV: prefix, member, retry-at ('' to delete), next member, retry window in ms, lease-until
 * ('' for a job whose lease is not known).
 */
export const SETTLE_SCRIPT = `${JOB_OF}${LEASED}
local P, m = ARGV[1], ARGV[2]
if ARGV[6] ~= '' and not leased(P .. 'wh', m, ARGV[6]) then return 0 end
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

/**
 * Makes the jobs a take leased due at once, those still under its lease: its answer never reached
 * the sender, so none of them is being delivered. Returns how many.
 *
 * ARGV: queue key, key of the take's list, its lease-until, due-at.
 */
export const RELEASE_SCRIPT = `${LEASED}
local n = 0
for _, m in ipairs(redis.call('LRANGE', ARGV[2], 0, -1)) do
  if leased(ARGV[1], m, ARGV[3]) then
    redis.call('ZADD', ARGV[1], ARGV[4], m)
    n = n + 1
  end
end
redis.call('DEL', ARGV[2])
return n
`;
