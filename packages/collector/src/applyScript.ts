/**
 * The Redis side of `apply`: one Lua script, so a batch is checked, applied, counted and queued
 * atomically, and a concurrent duplicate (in this or another collector process) only sees the
 * batch id once the original's writes are done. It mirrors `planBatch`; the shared contract
 * tests hold both to the same behaviour. Times travel as decimal strings: Lua 5.1 prints large
 * numbers in exponent form.
 *
 * ARGV: prefix, now, ttlMs, dedupMs, webhooks ('1'/'0'), batch JSON
 * `{ id, aid, uid?, forget?, changes: [[segment, member, "t", day]], members?, mt, mday }`,
 * webhook retry window in ms.
 *
 * Webhook jobs are indexed by profile in `wj:<anonymousId>`, a hash of sequence number to the
 * job's current queue member, so a forget removes them in the same script: after an erasure
 * nothing of that profile may be POSTed.
 */
export const APPLY_SCRIPT = `
local P, nowS, ttl, dedup, hooks, retry = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1', ARGV[7]
local b = cjson.decode(ARGV[6])
local bk = P .. 'b:' .. b.id
if redis.call('EXISTS', bk) == 1 then return 'duplicate' end
redis.call('SET', bk, '1', 'PX', dedup)
local pk = P .. 'p:' .. b.aid
local all = redis.call('HGETALL', pk)
-- The profile and its member entries (forget, or expired): counts must not see it either.
local function dropProfile()
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == 's:' then redis.call('ZREM', P .. 'm:' .. string.sub(all[i], 3), b.aid) end
  end
  redis.call('DEL', pk)
end
if b.forget then
  dropProfile()
  redis.call('ZREM', P .. 'pa', b.aid)
  redis.call('SET', P .. 't:' .. b.aid, '1', 'PX', dedup)
  -- Its queued webhook jobs carry the anonymousId and userId. A delivery already in flight may
  -- still arrive; its settle then finds its job gone and does not queue a retry.
  local wk = P .. 'wj:' .. b.aid
  for _, m in ipairs(redis.call('HVALS', wk)) do redis.call('ZREM', P .. 'wh', m) end
  redis.call('DEL', wk)
  return 'applied'
end
if redis.call('EXISTS', P .. 't:' .. b.aid) == 1 then return 'dropped' end
-- Expired under this collector's ttl (the key's TTL may come from a longer one): start empty,
-- as SqliteCore.applyOne does, so old memberships and userId are neither kept nor counted.
for i = 1, #all, 2 do
  if all[i] == 'a' and tonumber(all[i + 1]) <= tonumber(nowS) - tonumber(ttl) then
    dropProfile()
    all = {}
    break
  end
end
local state, setT, setTs, uid = {}, -1, '-1', false
for i = 1, #all, 2 do
  local f, v = all[i], all[i + 1]
  if f == 'st' then setT, setTs = tonumber(v), v
  elseif f == 'u' then uid = v
  elseif string.sub(f, 1, 2) == 's:' then
    local m, t = string.match(v, '^(%d):(%d+)$')
    state[string.sub(f, 3)] = { m = m == '1', t = tonumber(t), ts = t }
  end
end
local writes, order, trans = {}, {}, {}
local function cur(seg) return writes[seg] or state[seg] end
local function set(seg, m, t, ts, day)
  local w = writes[seg]
  if not w then table.insert(order, seg) end
  local cts, cday = ts, day
  if w and w.m == m then cts, cday = w.cts, w.cday end
  writes[seg] = { m = m, t = t, ts = ts, cts = cts, cday = cday }
end
for _, c in ipairs(b.changes) do
  local seg, t = c[1], tonumber(c[3])
  local prev = cur(seg)
  local pt = setT
  if prev and prev.t > setT then pt = prev.t end
  if t > pt or (t == pt and writes[seg]) then set(seg, c[2], t, c[3], c[4]) end
end
if type(b.members) == 'table' then
  local mt = tonumber(b.mt)
  local inset = {}
  for _, seg in ipairs(b.members) do
    inset[seg] = true
    local prev = cur(seg)
    local pt = setT
    if prev and prev.t > setT then pt = prev.t end
    if not (prev and prev.m) and pt <= mt then set(seg, true, mt, b.mt, b.mday) end
  end
  local known, ks = {}, {}
  for seg in pairs(state) do known[seg] = true end
  for seg in pairs(writes) do known[seg] = true end
  for seg in pairs(known) do table.insert(ks, seg) end
  table.sort(ks)
  for _, seg in ipairs(ks) do
    local prev = cur(seg)
    if prev.m and not inset[seg] and math.max(prev.t, setT) <= mt then set(seg, false, mt, b.mt, b.mday) end
  end
  if mt > setT then setT, setTs = mt, b.mt end
end
for _, seg in ipairs(order) do
  local w, prev = writes[seg], state[seg]
  if (prev ~= nil and prev.m) ~= w.m then table.insert(trans, { seg, w.m, w.cts, w.cday }) end
end
if type(b.uid) == 'string' then uid = b.uid end
redis.call('HSET', pk, 'a', nowS, 'st', setTs)
if uid then redis.call('HSET', pk, 'u', uid) end
for _, seg in ipairs(order) do
  local w = writes[seg]
  redis.call('HSET', pk, 's:' .. seg, (w.m and '1' or '0') .. ':' .. w.ts)
  if not w.m then redis.call('ZREM', P .. 'm:' .. seg, b.aid) end
end
redis.call('PEXPIRE', pk, ttl)
redis.call('ZADD', P .. 'pa', nowS, b.aid)
for seg, s in pairs(state) do
  if s.m and not writes[seg] then redis.call('ZADD', P .. 'm:' .. seg, nowS, b.aid) end
end
for seg, w in pairs(writes) do
  if w.m then redis.call('ZADD', P .. 'm:' .. seg, nowS, b.aid) end
end
for _, tr in ipairs(trans) do
  redis.call('SADD', P .. 'segs', tr[1])
  redis.call('HINCRBY', P .. 'd:' .. tr[1], tr[4] .. (tr[2] and ':e' or ':x'), 1)
  if hooks then
    -- Zero-padded: jobs with the same score come out in member (string) order, which must be
    -- queue order ('10|' would sort before '9|'). 16 digits hold every exact Lua integer.
    local id = string.format('%016d', redis.call('INCR', P .. 'wh:seq'))
    local body = '{"anonymousId":' .. cjson.encode(b.aid)
    if uid then body = body .. ',"userId":' .. cjson.encode(uid) end
    body = body .. ',"segment":' .. cjson.encode(tr[1]) .. ',"member":' .. (tr[2] and 'true' or 'false') .. ',"t":' .. tr[3] .. '}'
    local member = id .. '|' .. nowS .. '|0|' .. body
    redis.call('ZADD', P .. 'wh', nowS, member)
    -- Refreshed by every write, so it outlives each of its jobs' 24 h: a forget finds them all.
    redis.call('HSET', P .. 'wj:' .. b.aid, id, member)
    redis.call('PEXPIRE', P .. 'wj:' .. b.aid, retry)
  end
end
return 'applied'
`;
