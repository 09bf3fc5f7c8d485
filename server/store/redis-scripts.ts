import { createHash } from 'node:crypto';
import type { LuaScript } from './redis-connection.js';

/**
 * RedisStore's Lua scripts. Each touches keys of one hash tag only (one Cluster slot), takes
 * every key in KEYS, and takes time as an argument — never Redis TIME — so it decides the same
 * way under a test's manual clock as in production. Records carry a logical expiry (`exp`,
 * from the store's clock) that scripts check; Redis's own PEXPIRE is the backstop.
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

// ---- one ticket: KEYS = ticket hash [, visitor messages, operator messages] ----

/** ARGV: ttl, field, value, …  (replaces whatever was there, messages included) */
export const ticketCreate = script('ticketCreate', `
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`);

/** ARGV: clockNow. The ticket hash, or nil when gone. */
export const ticketGet = script('ticketGet', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
return redis.call('HGETALL', KEYS[1])
`);

/** {exp, state, operatorId} (each nil when absent): enough to judge a held slot. */
export const ticketPeek = script('ticketPeek', `
return redis.call('HMGET', KEYS[1], 'exp', 'state', 'operatorId')
`);

/** ARGV: clockNow, now, offer JSON, operatorId, offer expiresAt. */
export const ticketOffer = script('ticketOffer', `
if not live(KEYS[1], tonumber(ARGV[1])) then return 0 end
if redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then return 0 end
local offered = redis.call('HGET', KEYS[1], 'offerExp')
if offered and tonumber(offered) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'offer', ARGV[3], 'offerOp', ARGV[4], 'offerExp', ARGV[5])
return 1
`);

/** ARGV: clockNow, operatorId. */
export const ticketWithdraw = script('ticketWithdraw', `
if not live(KEYS[1], tonumber(ARGV[1])) then return 0 end
if redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then return 0 end
if redis.call('HGET', KEYS[1], 'offerOp') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], 'offer', 'offerOp', 'offerExp')
local tried = cjson.decode(redis.call('HGET', KEYS[1], 'triedBy'))
for _, id in ipairs(tried) do
  if id == ARGV[2] then return 1 end
end
table.insert(tried, ARGV[2])
redis.call('HSET', KEYS[1], 'triedBy', cjson.encode(tried))
return 1
`);

/** ARGV: clockNow, now, operatorId, operatorKey, proof JSON or '', operatorName. The ticket after, or nil. */
export const ticketClaim = script('ticketClaim', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
if redis.call('HGET', KEYS[1], 'state') ~= 'waiting' then return false end
if redis.call('HGET', KEYS[1], 'offerOp') ~= ARGV[3] then return false end
if tonumber(redis.call('HGET', KEYS[1], 'offerExp')) <= tonumber(ARGV[2]) then return false end
redis.call('HDEL', KEYS[1], 'offer', 'offerOp', 'offerExp', 'operatorProof')
redis.call('HSET', KEYS[1], 'state', 'active', 'operatorId', ARGV[3], 'operatorKey', ARGV[4], 'operatorName', ARGV[6], 'acceptedAt', ARGV[2])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'operatorProof', ARGV[5]) end
return redis.call('HGETALL', KEYS[1])
`);

/** ARGV: clockNow, now, endedBy, graceMs, new exp, ifDetachedEpoch or ''. The ticket before, or nil. */
export const ticketEnd = script('ticketEnd', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
if redis.call('HGET', KEYS[1], 'state') == 'ended' then return false end
if ARGV[6] ~= '' then
  if redis.call('HEXISTS', KEYS[1], 'visitorNode') == 1 then return false end
  if redis.call('HGET', KEYS[1], 'visitorEpoch') ~= ARGV[6] then return false end
end
local before = redis.call('HGETALL', KEYS[1])
redis.call('HDEL', KEYS[1], 'offer', 'offerOp', 'offerExp', 'buf', 'vb', 'ob')
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedBy', ARGV[3], 'endedAt', ARGV[2], 'exp', ARGV[5])
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

/** ARGV: clockNow, node. The new epoch, or nil when gone. */
export const ticketAttach = script('ticketAttach', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
redis.call('HSET', KEYS[1], 'visitorNode', ARGV[2])
redis.call('HDEL', KEYS[1], 'detachedAt')
return redis.call('HINCRBY', KEYS[1], 'visitorEpoch', 1)
`);

/** ARGV: clockNow, epoch, now. */
export const ticketDetach = script('ticketDetach', `
if not live(KEYS[1], tonumber(ARGV[1])) then return 0 end
if redis.call('HGET', KEYS[1], 'visitorEpoch') ~= ARGV[2] then return 0 end
if redis.call('HEXISTS', KEYS[1], 'visitorNode') == 0 then return 0 end
redis.call('HDEL', KEYS[1], 'visitorNode')
redis.call('HSET', KEYS[1], 'detachedAt', ARGV[3])
return 1
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

/** KEYS: zset. ARGV: score, member, ttl. Only ever raises the member's score. */
export const zsetRaise = script('zsetRaise', `
redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[2])
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

/** KEYS: zset. ARGV: member. Its 0-based rank, or nil. */
export const zsetRank = script('zsetRank', `
return redis.call('ZRANK', KEYS[1], ARGV[1])
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

/** KEYS: set. */
export const setMembers = script('setMembers', `
return redis.call('SMEMBERS', KEYS[1])
`);

/** KEYS: names, topic queue, language queue. ARGV: order, ticket id, queue name, ttl. */
export const queueAdd = script('queueAdd', `
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[1], ARGV[3])
extend(KEYS[1], ARGV[4])
extend(KEYS[2], ARGV[4])
extend(KEYS[3], ARGV[4])
return 1
`);

/** KEYS: names, topic queue, language queue. ARGV: ticket id, order, queue name. How many entries went. */
export const queueRemove = script('queueRemove', `
local removed = 0
for i = 2, 3 do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1])
  if score and tonumber(score) == tonumber(ARGV[2]) then removed = removed + redis.call('ZREM', KEYS[i], ARGV[1]) end
end
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('SREM', KEYS[1], ARGV[3]) end
return removed
`);

/** KEYS: string. ARGV: value, ttl. */
export const stringSet = script('stringSet', `
return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
`);

/** KEYS: string. */
export const stringGet = script('stringGet', `
return redis.call('GET', KEYS[1])
`);

/** KEYS: any. */
export const keyDelete = script('keyDelete', `
return redis.call('DEL', KEYS[1])
`);

/** KEYS: aggregate index, bucket. ARGV: clockNow, bucket id, key JSON, field, new exp, ttl. */
export const aggregateCount = script('aggregateCount', `
if not live(KEYS[2], tonumber(ARGV[1])) then redis.call('DEL', KEYS[2]) end
redis.call('HSET', KEYS[2], 'key', ARGV[3], 'exp', ARGV[5])
redis.call('HINCRBY', KEYS[2], 'c:' .. ARGV[4], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[5], ARGV[2])
extend(KEYS[1], ARGV[6])
return 1
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

// ---- one operator: KEYS = presence hash, held zset ----

const PRESENCE_REPLY = `{redis.call('HGETALL', KEYS[1]), redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')}`;

/**
 * ARGV: clockNow, now, ttl, new exp, profile JSON, name, capacity, status, stale held ids…
 * Presence that had run out starts afresh: idle from now, no nodes, nothing held.
 */
export const presenceUpsert = script('presenceUpsert', `
if not live(KEYS[1], tonumber(ARGV[1])) then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[1], 'idleSince', ARGV[2], 'nodes', '[]')
end
for i = 9, #ARGV do redis.call('ZREM', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'profile', ARGV[5], 'name', ARGV[6], 'capacity', ARGV[7], 'status', ARGV[8], 'exp', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return ${PRESENCE_REPLY}
`);

/** ARGV: clockNow, status, ttl, new exp, idleSince or ''. */
export const presenceStatus = script('presenceStatus', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'exp', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'idleSince', ARGV[5]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return ${PRESENCE_REPLY}
`);

/** ARGV: clockNow. */
export const presenceRead = script('presenceRead', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
return ${PRESENCE_REPLY}
`);

/** ARGV: clockNow, node. */
export const consoleAttach = script('consoleAttach', `
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
return ${PRESENCE_REPLY}
`);

/** ARGV: clockNow, node, now. The last node gone: offline, disconnected since now. */
export const consoleDetach = script('consoleDetach', `
if not live(KEYS[1], tonumber(ARGV[1])) then return false end
local kept = {}
for _, n in ipairs(cjson.decode(redis.call('HGET', KEYS[1], 'nodes'))) do
  if n ~= ARGV[2] then table.insert(kept, n) end
end
if #kept == 0 then
  -- cjson writes an empty table as {}, so the empty list is spelled out
  redis.call('HSET', KEYS[1], 'nodes', '[]', 'status', 'offline', 'disconnectedAt', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'nodes', cjson.encode(kept))
end
return ${PRESENCE_REPLY}
`);

/**
 * Reserve one of the operator's slots for a ticket they are accepting: the first half of an
 * accept (the ticket's own script is the second). ARGV: clockNow, ticket id, score (now),
 * safety margin, stale held ids… Replies {'ok'|'busy'|'full'|'absent', operator name, held…}.
 * 'busy': another accept of this very ticket by this operator is in flight (younger than the
 * margin); an older leftover of a crashed accept is replaced.
 */
export const heldReserve = script('heldReserve', `
if not live(KEYS[1], tonumber(ARGV[1])) then return {'absent', ''} end
for i = 5, #ARGV do redis.call('ZREM', KEYS[2], ARGV[i]) end
local name = redis.call('HGET', KEYS[1], 'name')
local mine = redis.call('ZSCORE', KEYS[2], ARGV[2])
if mine then
  if tonumber(mine) > tonumber(ARGV[3]) - tonumber(ARGV[4]) then return {'busy', name} end
  redis.call('ZREM', KEYS[2], ARGV[2])
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(redis.call('HGET', KEYS[1], 'capacity')) then
  return {'full', name, redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')}
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return {'ok', name}
`);

/**
 * Free a ticket's slot (and any stale ones). ARGV: clockNow, ticket id, now, stale held ids…
 * With nothing held any more the operator is idle from now. Replies what is still held.
 */
export const heldRelease = script('heldRelease', `
redis.call('ZREM', KEYS[2], ARGV[2])
for i = 4, #ARGV do redis.call('ZREM', KEYS[2], ARGV[i]) end
if redis.call('ZCARD', KEYS[2]) == 0 and live(KEYS[1], tonumber(ARGV[1])) then
  redis.call('HSET', KEYS[1], 'idleSince', ARGV[3])
end
return redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
`);
