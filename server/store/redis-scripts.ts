import { createHash } from 'node:crypto';
import type { LuaScript } from './redis-connection.js';

/**
 * RedisStore's Lua scripts. Each touches keys of one hash tag only (one Cluster slot), takes
 * every key in KEYS, and takes time as an argument — never Redis TIME — so it decides the same
 * way under a test's manual clock as in production. Two exceptions, each said where it is: the
 * queue scripts reach the queues of their slot by name, and ticketsJson (single Redis only)
 * reads tickets of many slots. Records carry a logical expiry (`exp`, from the store's clock) that scripts check; Redis's own PEXPIRE is
 * the backstop.
 *
 * Numbers are passed and stored as decimal strings and only ever compared in Lua, never
 * printed by it (Lua would print a timestamp as 1.795428e+12).
 */
function script(name: string, body: string): LuaScript {
  const source = `${PRELUDE}\n${body}`;
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

const PRELUDE = `
local function live(key, now)
  local exp = redis.call('HGET', key, 'exp')
  return exp ~= false and tonumber(exp) > now
end
local function extend(key, ms)
  if redis.call('PTTL', key) < tonumber(ms) then redis.call('PEXPIRE', key, ms) end
end
`;

/**
 * For the scripts that change a field the routing summary holds: bump the ticket's `ver`, and
 * reply the fields a new summary is built from (ROUTE_FIELDS in redis-records).
 */
const TICKET_ROUTE = `
local function bump(key)
  redis.call('HINCRBY', key, 'ver', 1)
end
local function route_fields(key)
  return redis.call('HMGET', key, 'base', 'state', 'offer', 'triedBy', 'visitorNode', 'ver', 'ord', 'exp')
end
`;

// ---- one ticket: KEYS = ticket hash [, visitor messages, operator messages] ----

/** ARGV: ttl, field, value, …  (replaces whatever was there, messages included) */
export const ticketCreate = script('ticketCreate', `
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`);

/** {exp, state, operatorId} (each nil when absent): enough to judge a held slot. */
export const ticketPeek = script('ticketPeek', `
return redis.call('HMGET', KEYS[1], 'exp', 'state', 'operatorId')
`);

/**
 * ARGV: clockNow, now, offer JSON, operatorId, offer expiresAt. Replies {1, route fields} when
 * offered; {0, route fields} when a live offer stands (the caller's summary may be behind);
 * {-1, ord or nil} when the ticket no longer waits (its summary, if any, is stale).
 */
export const ticketOffer = script('ticketOffer', `${TICKET_ROUTE}
if not live(KEYS[1], tonumber(ARGV[1])) or redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then
  return {-1, redis.call('HGET', KEYS[1], 'ord')}
end
local offered = redis.call('HGET', KEYS[1], 'offerExp')
if offered and tonumber(offered) > tonumber(ARGV[2]) then return {0, route_fields(KEYS[1])} end
redis.call('HSET', KEYS[1], 'offer', ARGV[3], 'offerOp', ARGV[4], 'offerExp', ARGV[5])
bump(KEYS[1])
return {1, route_fields(KEYS[1])}
`);

/** ARGV: clockNow, operatorId. Replies the route fields after, or nil when nothing was withdrawn. */
export const ticketWithdraw = script('ticketWithdraw', `${TICKET_ROUTE}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
if redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then return false end
if redis.call('HGET', KEYS[1], 'offerOp') ~= ARGV[2] then return false end
redis.call('HDEL', KEYS[1], 'offer', 'offerOp', 'offerExp')
local tried = cjson.decode(redis.call('HGET', KEYS[1], 'triedBy'))
local known = false
for _, id in ipairs(tried) do
  if id == ARGV[2] then known = true end
end
if not known then
  table.insert(tried, ARGV[2])
  redis.call('HSET', KEYS[1], 'triedBy', cjson.encode(tried))
end
bump(KEYS[1])
return route_fields(KEYS[1])
`);

/** ARGV: clockNow, now, operatorId, operatorKey, proof JSON or '', operatorName. The ticket after, or nil. */
export const ticketClaim = script('ticketClaim', `${TICKET_ROUTE}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
if redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then return false end
if redis.call('HGET', KEYS[1], 'offerOp') ~= ARGV[3] then return false end
if tonumber(redis.call('HGET', KEYS[1], 'offerExp')) <= tonumber(ARGV[2]) then return false end
redis.call('HDEL', KEYS[1], 'offer', 'offerOp', 'offerExp', 'operatorProof')
redis.call('HSET', KEYS[1], 'state', 'active', 'operatorId', ARGV[3], 'operatorKey', ARGV[4], 'operatorName', ARGV[6], 'acceptedAt', ARGV[2])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'operatorProof', ARGV[5]) end
bump(KEYS[1])
return redis.call('HGETALL', KEYS[1])
`);

/** ARGV: clockNow, now, endedBy, graceMs, new exp, ifDetachedEpoch or ''. The ticket before, or nil. */
export const ticketEnd = script('ticketEnd', `${TICKET_ROUTE}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
if redis.call('HGET', KEYS[1], 'state') == 'ended' then return false end
if ARGV[6] ~= '' then
  if redis.call('HEXISTS', KEYS[1], 'visitorNode') == 1 then return false end
  if redis.call('HGET', KEYS[1], 'visitorEpoch') ~= ARGV[6] then return false end
end
local before = redis.call('HGETALL', KEYS[1])
redis.call('HDEL', KEYS[1], 'offer', 'offerOp', 'offerExp', 'buf', 'vb', 'ob')
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedBy', ARGV[3], 'endedAt', ARGV[2], 'exp', ARGV[5])
bump(KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
-- Nobody can be sent the messages of an ended chat: its ciphertext goes at once.
redis.call('DEL', KEYS[2], KEYS[3])
return before
`);

/** ARGV: clockNow. {1 if it was live else 0, the hash as it was} — then it is gone. */
export const ticketDelete = script('ticketDelete', `
local was = live(KEYS[1], tonumber(ARGV[1])) and 1 or 0
local before = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return {was, before}
`);

/** ARGV: clockNow, node. {the new epoch, route fields}, or nil when gone. */
export const ticketAttach = script('ticketAttach', `${TICKET_ROUTE}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
redis.call('HSET', KEYS[1], 'visitorNode', ARGV[2])
redis.call('HDEL', KEYS[1], 'detachedAt')
bump(KEYS[1])
return {redis.call('HINCRBY', KEYS[1], 'visitorEpoch', 1), route_fields(KEYS[1])}
`);

/** ARGV: clockNow, epoch, now. The route fields after, or nil when nothing changed. */
export const ticketDetach = script('ticketDetach', `${TICKET_ROUTE}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
if redis.call('HGET', KEYS[1], 'visitorEpoch') ~= ARGV[2] then return false end
if redis.call('HEXISTS', KEYS[1], 'visitorNode') == 0 then return false end
redis.call('HDEL', KEYS[1], 'visitorNode')
redis.call('HSET', KEYS[1], 'detachedAt', ARGV[3])
bump(KEYS[1])
return route_fields(KEYS[1])
`);

/**
 * Many tickets in one call, for listTickets on a single Redis (a Cluster refuses a script
 * whose keys span slots). KEYS: ticket hashes. ARGV: clockNow. One JSON array, one entry per
 * key: the hash flat (field, value …), or false when gone or past its logical expiry — one
 * string to parse instead of thousands of replies, which is what costs on the client.
 */
export const ticketsJson = script('ticketsJson', `
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  if live(key, now) then out[i] = redis.call('HGETALL', key) else out[i] = false end
end
return cjson.encode(out)
`);

/** KEYS: ticket, messages. ARGV: clockNow, seq, data, length, bytes field, max messages, max bytes. */
export const messageAppend = script('messageAppend', `
if not live(KEYS[1], tonumber(ARGV[1])) or redis.call('HGET', KEYS[1], 'buf') ~= '1' then return 'gap' end
local last = redis.call('LLEN', KEYS[2])
local seq = tonumber(ARGV[2])
if seq <= last then return 'duplicate' end
if seq ~= last + 1 then return 'gap' end
local bytes = tonumber(redis.call('HGET', KEYS[1], ARGV[5]) or '0')
if last >= tonumber(ARGV[6]) or bytes + tonumber(ARGV[4]) > tonumber(ARGV[7]) then return 'full' end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HINCRBY', KEYS[1], ARGV[5], ARGV[4])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 'stored'
`);

/** KEYS: ticket, messages. ARGV: clockNow, after. The data of seqs after+1 …, oldest first. */
export const messagesRead = script('messagesRead', `
if not live(KEYS[1], tonumber(ARGV[1])) or redis.call('HGET', KEYS[1], 'buf') ~= '1' then return {} end
return redis.call('LRANGE', KEYS[2], ARGV[2], -1)
`);

// ---- indexes and small records: KEYS all of one tag ----

/** KEYS: counter. ARGV: ttl. The next number. */
export const counterNext = script('counterNext', `
local n = redis.call('INCR', KEYS[1])
extend(KEYS[1], ARGV[1])
return n
`);

/** KEYS: zset. ARGV: score, member, ttl (the key lives at least that long). */
export const zsetAdd = script('zsetAdd', `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
extend(KEYS[1], ARGV[3])
return 1
`);

/** KEYS: zset. ARGV: member, score. Removes the member only while it still has that score. */
export const zsetRemoveIf = script('zsetRemoveIf', `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`);

/** KEYS: zset. ARGV: member. */
export const zsetRemove = script('zsetRemove', `
return redis.call('ZREM', KEYS[1], ARGV[1])
`);

/** KEYS: zset. ARGV: start, stop. Members with scores. */
export const zsetRange = script('zsetRange', `
return redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
`);

/** KEYS: zset scored by expiry. ARGV: now, '1' to drop the expired. Members whose score is above now. */
export const zsetAlive = script('zsetAlive', `
if ARGV[2] == '1' then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]) end
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf')
`);

/** KEYS: node zset. ARGV: node, expiry, now, ttl. */
export const nodeBeat = script('nodeBeat', `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
extend(KEYS[1], ARGV[4])
return 1
`);

// ---- the waiting queues: KEYS = queue names, route summaries (slot {queues}) ----

/**
 * The queue scripts reach every queue of the {queues} slot: they build a queue's keys from its
 * name and the names key (P:{queues}:names → P:{queues}:w:<name>, P:{queues}:l:<line>:<lang>,
 * as RedisKeys does), which a Cluster allows because all of them share the slot. A queued
 * ticket always has its three entries together — topic queue, language queue, summary — as
 * every script adds or removes them at once.
 */
const QUEUES = `
local Q = string.sub(KEYS[1], 1, #KEYS[1] - #'names')
local function topic_key(name)
  return Q .. 'w:' .. name
end
local function language_key(name)
  return Q .. 'l:' .. string.match(name, '^(.*):[^:]*$')
end
-- ver, exp, ord, queue name of a summary (see Route in redis-records)
local function head(summary)
  local ver, exp, ord, name = string.match(summary, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|')
  return tonumber(ver), tonumber(exp), tonumber(ord), name
end
local function expiry(summary)
  local _, exp = head(summary)
  return exp
end
local function remove_if(key, id, ord)
  local score = redis.call('ZSCORE', key, id)
  if score and tonumber(score) == ord then return redis.call('ZREM', key, id) end
  return 0
end
-- Take a ticket out of its queue (entries of creation order ord only). How many entries went.
local function unqueue(id, ord, name)
  local t = topic_key(name)
  local removed = remove_if(t, id, ord) + remove_if(language_key(name), id, ord)
  local summary = redis.call('HGET', KEYS[2], id)
  if summary then
    local _, _, sord = head(summary)
    if sord == ord then redis.call('HDEL', KEYS[2], id) end
  end
  if redis.call('ZCARD', t) == 0 then redis.call('SREM', KEYS[1], name) end
  return removed
end
`;

/** ARGV: ticket id, order, queue name, ttl, summary. */
export const queueAdd = script('queueAdd', `${QUEUES}
redis.call('ZADD', topic_key(ARGV[3]), ARGV[2], ARGV[1])
redis.call('ZADD', language_key(ARGV[3]), ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
redis.call('SADD', KEYS[1], ARGV[3])
extend(KEYS[1], ARGV[4])
extend(KEYS[2], ARGV[4])
extend(topic_key(ARGV[3]), ARGV[4])
extend(language_key(ARGV[3]), ARGV[4])
return 1
`);

/** ARGV: ticket id, order, queue name. How many queue entries went. */
export const queueRemove = script('queueRemove', `${QUEUES}
return unqueue(ARGV[1], tonumber(ARGV[2]), ARGV[3])
`);

/**
 * A ticket's new summary after a change (ARGV: ticket id, order, queue name, version,
 * summary). Written only while the ticket is still queued (so a late update cannot bring back
 * a ticket that left) and newer than the one held (updates from several nodes may cross).
 */
export const routeUpdate = script('routeUpdate', `${QUEUES}
local score = redis.call('ZSCORE', topic_key(ARGV[3]), ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held and head(held) >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
return 1
`);

/**
 * Unqueue tickets found no longer waiting (ARGV: ticket id, order or '' for any, …), going by
 * their summary to find the queue. How many queue entries went.
 */
export const routeDrop = script('routeDrop', `${QUEUES}
local removed = 0
for i = 1, #ARGV, 2 do
  local summary = redis.call('HGET', KEYS[2], ARGV[i])
  if summary then
    local _, _, ord, name = head(summary)
    if ARGV[i + 1] == '' or tonumber(ARGV[i + 1]) == ord then removed = removed + unqueue(ARGV[i], ord, name) end
  end
end
return removed
`);

/**
 * What routing reads: the summaries of the oldest ARGV[2] live tickets of every queue
 * (ARGV: clockNow, per queue, most stale entries to prune in this call). Entries whose
 * summary has run out (tickets that expired without leaving their queue) are pruned on the
 * way, up to the cap so one call stays short; the next call goes on.
 */
export const routeHeads = script('routeHeads', `${QUEUES}
local now, per, budget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = topic_key(name)
  local got, offset = 0, 0
  while got < per do
    local want = math.min(per - got, 1000)
    local flat = redis.call('ZRANGE', key, offset, offset + want - 1, 'WITHSCORES')
    local ids = {}
    for i = 1, #flat, 2 do ids[#ids + 1] = flat[i] end
    if #ids == 0 then break end
    local summaries = redis.call('HMGET', KEYS[2], unpack(ids))
    local live, pruned = 0, 0
    for i, id in ipairs(ids) do
      local summary = summaries[i]
      if summary and expiry(summary) > now then
        out[#out + 1] = summary
        live = live + 1
      elseif budget > 0 then
        -- run out (or a stray entry without a summary): its entries go
        local ord = tonumber(flat[2 * i])
        if summary then unqueue(id, ord, name) else remove_if(key, id, ord); remove_if(language_key(name), id, ord) end
        pruned = pruned + 1
        budget = budget - 1
      end
    end
    got = got + live
    -- the end of the queue, or only stale entries left over the budget
    if #ids < want or live + pruned == 0 then break end
    offset = offset + #ids - pruned
  end
  if redis.call('ZCARD', key) == 0 then redis.call('SREM', KEYS[1], name) end
end
return out
`);

/**
 * Places in line × language queues. KEYS: names, routes, language queues…; ARGV: clockNow,
 * most stale entries to prune, then (index into KEYS of the ticket's language queue, ticket
 * id) pairs. Replies a 1-based place per pair, or nil for a ticket not queued (or run out).
 *
 * Stale entries (tickets that expired without leaving their queue) would count ahead of the
 * live ones: they are pruned from each queue's head first. Every ticket lives as long as the
 * deployment's CHAT_MAX_HOURS from its creation, so the ones that ran out are the oldest and
 * sit at the head; a stale entry behind a live one (only after that setting changed) counts
 * until routing's reads prune it.
 */
export const queueRanks = script('queueRanks', `${QUEUES}
local now, budget = tonumber(ARGV[1]), tonumber(ARGV[2])
for k = 3, #KEYS do
  while budget > 0 do
    local first = redis.call('ZRANGE', KEYS[k], 0, 0, 'WITHSCORES')
    if #first == 0 then break end
    local id, ord = first[1], tonumber(first[2])
    local summary = redis.call('HGET', KEYS[2], id)
    if summary then
      local _, exp, _, name = head(summary)
      if exp > now then break end
      unqueue(id, ord, name)
    else
      redis.call('ZREM', KEYS[k], id)
    end
    budget = budget - 1
  end
end
local out = {}
for i = 3, #ARGV, 2 do
  local key, id = KEYS[tonumber(ARGV[i])], ARGV[i + 1]
  local place = false
  local summary = redis.call('HGET', KEYS[2], id)
  if summary and expiry(summary) > now then
    local rank = redis.call('ZRANK', key, id)
    if rank then place = rank + 1 end
  end
  out[#out + 1] = place
end
return out
`);

/**
 * Hold a lease (KEYS: the lease; ARGV: holder, now, until, ttl): taken when free, run out by
 * `now`, or already this holder's (then renewed). 1 when held, 0 when another holder's runs.
 */
export const leaseClaim = script('leaseClaim', `
local held = redis.call('GET', KEYS[1])
if held then
  local expires, holder = string.match(held, '^([^|]*)|(.*)$')
  if holder ~= ARGV[1] and tonumber(expires) > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[3] .. '|' .. ARGV[1], 'PX', ARGV[4])
return 1
`);

/** KEYS: lease. ARGV: holder. Deletes the lease only if `holder` holds it. */
export const leaseRelease = script('leaseRelease', `
local held = redis.call('GET', KEYS[1])
if not held then return 0 end
local _, holder = string.match(held, '^([^|]*)|(.*)$')
if holder ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`);

/** KEYS: string. ARGV: value, ttl. */
export const stringSet = script('stringSet', `
return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
`);

/** KEYS: string. */
export const stringGet = script('stringGet', `
return redis.call('GET', KEYS[1])
`);

/**
 * KEYS: string. ARGV: clockNow, value, ttl, '1' to keep a live value already there. The value
 * is stored as `<logical expiry>|<value>`; replies the value held afterwards.
 */
export const stringClaim = script('stringClaim', `
local held = redis.call('GET', KEYS[1])
if held and ARGV[4] == '1' then
  local expires, value = string.match(held, '^([^|]*)|(.*)$')
  if tonumber(expires) > tonumber(ARGV[1]) then return value end
end
redis.call('SET', KEYS[1], (tonumber(ARGV[1]) + tonumber(ARGV[3])) .. '|' .. ARGV[2], 'PX', ARGV[3])
return ARGV[2]
`);

/** KEYS: bucket hashes (one slot, {agg}). ARGV: clockNow. Each live one's HGETALL, else false. */
export const hashesGetLive = script('hashesGetLive', `
local out = {}
for i, key in ipairs(KEYS) do
  if live(key, tonumber(ARGV[1])) then out[i] = redis.call('HGETALL', key) else out[i] = false end
end
return out
`);

/** KEYS: hash. */
export const hashGetAll = script('hashGetAll', `
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: hash. ARGV: field, ttl. */
export const hashCount = script('hashCount', `
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** KEYS: hash. ARGV: field, value, 'create' | 'replace'. 1 if written, 0 if the mode forbade it. */
export const hashPut = script('hashPut', `
if (redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1) ~= (ARGV[3] == 'replace') then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

/** KEYS: hash. ARGV: field. */
export const hashGet = script('hashGet', `
return redis.call('HGET', KEYS[1], ARGV[1])
`);

/** KEYS: hash. ARGV: field. 1 if it was there. */
export const hashDelete = script('hashDelete', `
return redis.call('HDEL', KEYS[1], ARGV[1])
`);

/** KEYS: any. */
export const keyDelete = script('keyDelete', `
return redis.call('DEL', KEYS[1])
`);

/**
 * KEYS: aggregate index (by expiry), bucket, starts index (by bucket start). ARGV: clockNow,
 * bucket id, key JSON, field, new exp, ttl, amount, bucket start (ms). The starts index lets
 * the export read a range of time without reading every id; entries far older than any
 * live bucket (a day past the ttl) are pruned as counts come.
 */
export const aggregateCount = script('aggregateCount', `
if not live(KEYS[2], tonumber(ARGV[1])) then redis.call('DEL', KEYS[2]) end
redis.call('HSET', KEYS[2], 'key', ARGV[3], 'exp', ARGV[5])
redis.call('HINCRBY', KEYS[2], 'c:' .. ARGV[4], tonumber(ARGV[7]))
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[5], ARGV[2])
extend(KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[3], ARGV[8], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (tonumber(ARGV[1]) - tonumber(ARGV[6]) - 86400000))
extend(KEYS[3], ARGV[6])
return 1
`);

/** KEYS: starts index. ARGV: from (ms), offset, count. Bucket ids starting at or after from, a page of them. */
export const aggregateStartsFrom = script('aggregateStartsFrom', `
return redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf', 'LIMIT', ARGV[2], ARGV[3])
`);

/** KEYS: hash. ARGV: clockNow. The hash while its logical expiry lies ahead, else nil. */
export const hashGetLive = script('hashGetLive', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
return redis.call('HGETALL', KEYS[1])
`);

/** KEYS: list, exp. ARGV: clockNow, sample, new exp, ttl, samples kept. */
export const handleTimeRecord = script('handleTimeRecord', `
local exp = redis.call('GET', KEYS[2])
if not exp or tonumber(exp) <= tonumber(ARGV[1]) then redis.call('DEL', KEYS[1]) end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[5]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return 1
`);

/** KEYS: list, exp. ARGV: clockNow. */
export const handleTimesRead = script('handleTimesRead', `
local exp = redis.call('GET', KEYS[2])
if not exp or tonumber(exp) <= tonumber(ARGV[1]) then return {} end
return redis.call('LRANGE', KEYS[1], 0, -1)
`);

// ---- presence: slot {presence} ----

/**
 * The operator scripts take KEYS = presence hash, held zset, chats hash, roster, presence
 * index (one operator's keys, then the roster and its index, all in the {presence} slot).
 *
 * `held` is what capacity counts: every ticket the operator holds or is accepting, scored by
 * when its place was reserved. `chats` marks the held tickets known to be their chats, with
 * the ticket's logical expiry: written by the accept's last step once the ticket is theirs,
 * removed with the held entry. So a reader learns who has which live chats without reading a
 * ticket — a chat whose ticket ran out by `exp` is over, one that ended was released — and
 * what a lost step left behind is put right by the readers that do peek the tickets (`tidy`).
 *
 * The roster holds, per operator, what listPresence returns of them, rewritten by every
 * script that changes an input of it: routing reads every operator with one HVALS instead of
 * three commands each. An entry is the JSON
 * [status, idleSince, disconnectedAt or null, nodes, profile, [[chat id, ticket exp]…], call id or null, statusSince]
 * (numbers as strings, nodes and profile the JSON stored in the presence hash); the index
 * holds each entry's presence expiry, so entries run out are found without reading them.
 */
const HELD = `
local dirty = false
local function drop(id)
  dirty = true
  redis.call('ZREM', KEYS[2], id)
  redis.call('HDEL', KEYS[3], id)
  if redis.call('HGET', KEYS[1], 'call') == id then redis.call('HDEL', KEYS[1], 'call') end
end
-- Mark a held ticket as the operator's chat until exp: only while it is still held, so a
-- late step cannot bring back a chat that was released.
local function confirm(id, exp)
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl <= 0 or not redis.call('ZSCORE', KEYS[2], id) then return 0 end
  dirty = true
  redis.call('HSET', KEYS[3], id, exp)
  redis.call('PEXPIRE', KEYS[3], ttl)
  return 1
end
-- A chat whose ticket has run out holds no place any more.
local function drop_expired(now)
  local flat = redis.call('HGETALL', KEYS[3])
  for i = 1, #flat, 2 do
    if tonumber(flat[i + 1]) <= now then drop(flat[i]) end
  end
end
-- What a caller learnt by peeking the held tickets, as (ticket id, '' to free its place | the
-- ticket's exp to confirm it as a chat) pairs in ARGV from index \`from\`.
local function tidy(from)
  for i = from, #ARGV - 1, 2 do
    if ARGV[i + 1] == '' then drop(ARGV[i]) else confirm(ARGV[i], ARGV[i + 1]) end
  end
end
-- Rewrite the operator's roster entry and index score from their keys (see above). The field
-- is the operator as named in their keys: KEYS[1] is <slot>o:<field>, KEYS[4] <slot>roster.
local function roster()
  local field = string.sub(KEYS[1], #KEYS[4] - #'roster' + #'o:' + 1)
  local h = redis.call('HMGET', KEYS[1], 'exp', 'status', 'idleSince', 'disconnectedAt', 'nodes', 'profile', 'statusSince')
  if not (h[1] and h[3] and h[5] and h[6]) then
    redis.call('HDEL', KEYS[4], field)
    redis.call('ZREM', KEYS[5], field)
    return
  end
  local chats = {}
  local held = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  if #held > 0 then
    local ids = {}
    for i = 1, #held, 2 do ids[#ids + 1] = held[i] end
    local exps = redis.call('HMGET', KEYS[3], unpack(ids))
    for i, id in ipairs(ids) do
      -- A place reserved by an accept in flight counts too, for at most the reservation
      -- margin (RESERVATION_MARGIN_MS, 10 s): routing must not offer it to anyone meanwhile.
      local exp = exps[i] or tostring(tonumber(held[2 * i]) + 10000)
      chats[#chats + 1] = '[' .. cjson.encode(id) .. ',"' .. exp .. '"]'
    end
  end
  local gone = h[4] and ('"' .. h[4] .. '"') or 'null'
  local call = redis.call('HGET', KEYS[1], 'call')
  local entry = '[' .. cjson.encode(h[2]) .. ',"' .. h[3] .. '",' .. gone .. ',' .. h[5] .. ',' .. h[6] .. ',[' .. table.concat(chats, ',') .. '],' .. (call and cjson.encode(call) or 'null') .. ',"' .. (h[7] or h[3]) .. '"]'
  local ttl = redis.call('PTTL', KEYS[1])
  redis.call('HSET', KEYS[4], field, entry)
  redis.call('ZADD', KEYS[5], h[1], field)
  extend(KEYS[4], ttl)
  extend(KEYS[5], ttl)
end
-- The operator's own keys (presence, held, chats) live as long as the presence.
local function keep_for(ttl)
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
local function held_reply()
  return {redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES'), redis.call('HGETALL', KEYS[3])}
end
local function presence_reply()
  return {redis.call('HGETALL', KEYS[1]), redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES'), redis.call('HGETALL', KEYS[3])}
end
`;

/**
 * Every present operator in one call, for routing (KEYS: roster, presence index; ARGV:
 * clockNow): the roster entries, those whose presence has run out removed first. Whose chats
 * are still live the caller decides, by each chat's ticket exp.
 */
export const presenceList = script('presenceList', `
for _, field in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])) do
  redis.call('HDEL', KEYS[1], field)
  redis.call('ZREM', KEYS[2], field)
end
return redis.call('HVALS', KEYS[1])
`);

/**
 * ARGV: clockNow, now, ttl, new exp, profile JSON, name, capacity, status, tidy pairs…
 * Presence that had run out starts afresh: idle from now, no nodes, nothing held.
 */
export const presenceUpsert = script('presenceUpsert', `${HELD}
if not live(KEYS[1], tonumber(ARGV[1])) then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
  redis.call('HSET', KEYS[1], 'idleSince', ARGV[2], 'nodes', '[]')
end
drop_expired(tonumber(ARGV[1]))
tidy(9)
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[8] then redis.call('HSET', KEYS[1], 'statusSince', ARGV[2]) end
redis.call('HSET', KEYS[1], 'profile', ARGV[5], 'name', ARGV[6], 'capacity', ARGV[7], 'status', ARGV[8], 'exp', ARGV[4])
keep_for(ARGV[3])
roster()
return presence_reply()
`);

/** ARGV: clockNow, status, ttl, new exp, idleSince or ''. */
export const presenceStatus = script('presenceStatus', `${HELD}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[2] then redis.call('HSET', KEYS[1], 'statusSince', ARGV[1]) end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'exp', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'idleSince', ARGV[5]) end
keep_for(ARGV[3])
roster()
return presence_reply()
`);

/** ARGV: clockNow. */
export const presenceRead = script('presenceRead', `${HELD}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
return presence_reply()
`);

/** ARGV: none. What the operator holds: {held with scores, chats}. */
export const heldRead = script('heldRead', `${HELD}
return held_reply()
`);

/** ARGV: clockNow, node. */
export const consoleAttach = script('consoleAttach', `${HELD}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
local nodes = cjson.decode(redis.call('HGET', KEYS[1], 'nodes'))
local known = false
for _, n in ipairs(nodes) do
  if n == ARGV[2] then known = true end
end
if not known then
  table.insert(nodes, ARGV[2])
  redis.call('HSET', KEYS[1], 'nodes', cjson.encode(nodes))
end
redis.call('HDEL', KEYS[1], 'disconnectedAt')
roster()
return presence_reply()
`);

/** ARGV: clockNow, node, now. The last node gone: offline, disconnected since now. */
export const consoleDetach = script('consoleDetach', `${HELD}
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
local kept = {}
for _, n in ipairs(cjson.decode(redis.call('HGET', KEYS[1], 'nodes'))) do
  if n ~= ARGV[2] then table.insert(kept, n) end
end
if #kept == 0 then
  -- cjson writes an empty table as {}, so the empty list is spelled out
  redis.call('HSET', KEYS[1], 'nodes', '[]', 'status', 'offline', 'disconnectedAt', ARGV[3], 'statusSince', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'nodes', cjson.encode(kept))
end
roster()
return presence_reply()
`);

/**
 * Reserve one of the operator's places for a ticket they are accepting: the first step of an
 * accept (the ticket's own script is the second, heldConfirm the third). ARGV: clockNow,
 * ticket id, score (now), safety margin, channel ('chat' | 'call'), call capacity rule, tidy
 * pairs… The presence hash's `call` names the held ticket that is a call: the fit test is
 * routing/call-capacity.ts's `fits`, spelled in Lua. Replies {'ok'|'busy'|'full'|'absent',
 * operator name, {held, chats} when full}. 'busy': another accept of this very ticket by this
 * operator is in flight (younger than the margin); an older leftover of a crashed accept is
 * replaced. The roster counts the reserved place at once, so routing does not offer it.
 */
export const heldReserve = script('heldReserve', `${HELD}
if not live(KEYS[1], tonumber(ARGV[1])) then return {'absent', ''} end
drop_expired(tonumber(ARGV[1]))
tidy(7)
local name = redis.call('HGET', KEYS[1], 'name')
local mine = redis.call('ZSCORE', KEYS[2], ARGV[2])
if mine and tonumber(mine) > tonumber(ARGV[3]) - tonumber(ARGV[4]) then
  if dirty then roster() end
  return {'busy', name}
end
if mine then drop(ARGV[2]) end
local call = redis.call('HGET', KEYS[1], 'call')
if call and not redis.call('ZSCORE', KEYS[2], call) then
  redis.call('HDEL', KEYS[1], 'call')
  dirty = true
  call = false
end
if dirty then roster() end
local taken = redis.call('ZCARD', KEYS[2])
local is_call = ARGV[5] == 'call'
if taken >= tonumber(redis.call('HGET', KEYS[1], 'capacity'))
  or (call and (is_call or ARGV[6] ~= 'one-place'))
  or (is_call and ARGV[6] == 'exclusive' and taken > 0) then
  return {'full', name, held_reply()}
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
if is_call then redis.call('HSET', KEYS[1], 'call', ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
roster()
return {'ok', name}
`);

/**
 * An accept whose claim failed gives its reserved place back (only its own: same score).
 * ARGV: ticket id, the score it was reserved with.
 */
export const heldGiveBack = script('heldGiveBack', `${HELD}
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then drop(ARGV[1]) end
if dirty then roster() end
return 1
`);

/**
 * The last step of an accept: the ticket is theirs, a chat until its logical expiry. ARGV:
 * ticket id, the score it was reserved with, the ticket's exp. Nothing when the place has
 * gone meanwhile (the chat already ended and was released) or is another accept's.
 */
export const heldConfirm = script('heldConfirm', `${HELD}
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
local done = confirm(ARGV[1], ARGV[3])
roster()
return done
`);

/** ARGV: tidy pairs… (what a reader of the operator's presence found out on the way). */
export const heldTidy = script('heldTidy', `${HELD}
tidy(1)
if dirty then roster() end
return 1
`);

/**
 * Free a ticket's place (and tidy the rest). ARGV: clockNow, ticket id, now, tidy pairs…
 * With nothing held any more the operator is idle from now. Replies {held, chats} after.
 */
export const heldRelease = script('heldRelease', `${HELD}
drop(ARGV[2])
drop_expired(tonumber(ARGV[1]))
tidy(4)
if redis.call('ZCARD', KEYS[2]) == 0 and live(KEYS[1], tonumber(ARGV[1])) then
  redis.call('HSET', KEYS[1], 'idleSince', ARGV[3])
end
roster()
return held_reply()
`);
