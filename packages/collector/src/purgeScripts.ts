/**
 * The Redis side of the profile half of `purge`. Profiles are found through `pa`, a sorted set of
 * anonymous ids scored by updatedAt that the apply script keeps next to each `p:` hash: the hash's
 * own TTL was set with the ttl of the collector that wrote it, so a collector restarted with a
 * shorter `--ttl-days` cannot rely on it. Like SqliteCore.purge, a profile is expired when
 * `updatedAt <= now - ttl`.
 *
 * ARGV: prefix, cutoff (now - ttlMs, a decimal string), limit. Returns how many ids it looked at,
 * so the caller repeats until a call finds fewer than `limit`.
 */
export const PURGE_PROFILES_SCRIPT = `
local P, cutoff, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local ids = redis.call('ZRANGEBYSCORE', P .. 'pa', '-inf', ARGV[2], 'LIMIT', 0, limit)
for _, aid in ipairs(ids) do
  local pk = P .. 'p:' .. aid
  local a = redis.call('HGET', pk, 'a')
  if a and tonumber(a) > cutoff then
    -- Written since by a collector that did not keep the index: re-score, keep the profile.
    redis.call('ZADD', P .. 'pa', a, aid)
  else
    -- Its member entries go too, so no count can see them under a longer ttl later.
    for _, f in ipairs(redis.call('HKEYS', pk)) do
      if string.sub(f, 1, 2) == 's:' then redis.call('ZREM', P .. 'm:' .. string.sub(f, 3), aid) end
    end
    redis.call('DEL', pk)
    redis.call('ZREM', P .. 'pa', aid)
  end
end
return #ids
`;

/**
 * Adds profiles written before `pa` existed to it, one SCAN page at a time (run once per Redis,
 * see RedisStore.purge). Reads each `a` inside the script, so a concurrent apply cannot be undone.
 *
 * ARGV: prefix, then `p:` keys.
 */
export const INDEX_PROFILES_SCRIPT = `
local P = ARGV[1]
for i = 2, #ARGV do
  local a = redis.call('HGET', ARGV[i], 'a')
  if a then redis.call('ZADD', P .. 'pa', a, string.sub(ARGV[i], #P + 3)) end
end
return 0
`;
