-- Tickwork's queue script: one operation on the queue of one job type. Every key starts with
-- KEYS[1], the type's base ('<prefix>queue:{<type>}:'), so one call touches one cluster slot.
-- RedisQueueStore (Java) writes the arguments and reads the answers in the order listed here.
--
-- Keys: <base>ready (zset, score (1000 - priority) * 2^40 + sequence), <base>delayed (zset, due
-- epoch ms), <base>running (zset, lease expiry, Redis time ms), <base>dead (zset, buried epoch
-- ms), <base>seq and <base>token (counters), <base>paused (string), <base>job:<id> (hash).
-- Job hash fields: st (status), pl (payload, absent if null), pt (payload class), pr, att, max,
-- to (timeout ms, absent if none), cr, sc, sa, fa (epoch ms), err, inst, tok, seq.
-- Leases are timed by Redis's own clock (TIME), so that the instances' clock skew does not move
-- them. ARGV[1] is the operation; ARGV[2] the notice channel; then its arguments:
--   e  enqueue jobs: capacity, now, then 9 per job: id, status, payload ('' and hasPayload 0 for
--      null), hasPayload, payload class, priority, max attempts, timeout ms (''), scheduled ms
--      -> per job 'C' created | 'X' exists | 'F' full
--   c  claim: instance, max, lease ms, default max attempts, now, retention ms, then the id and
--      token of each succeeded attempt to end first (as 's' does) -> flat list: n delivered, then
--      15 fields each (the id, then FIELDS), n abandoned, then 15 fields each, next due ms or '',
--      paused 1/0, lease ms on the caller's clock, then the ids of the succeeded attempts refused
--   x  extend: lease ms, then id and token pairs -> the ids whose lease is lost
--   s  succeed: id, token, now, retention ms -> 1 | 0 (lease lost)
--   r  retry: id, token, at ms, error -> 1 | 0
--   b  bury: id, token, now, error, dead max -> 1 | 0
--   l  release: id, token -> 1 | 0
--   k  cancel: id, now, retention ms -> 1 | 0
--   q  requeue: id, now -> 1 | 0
--   d  delete dead: id (''), older than ms -> 1 | 0
--   n  counts -> ready, delayed, running, dead, paused
--   p  pause: 1 | 0 -> 1
local base = KEYS[1]
local op = ARGV[1]
local channel = ARGV[2]
local qtype = string.sub(base, string.find(base, '{', 1, true) + 1, string.find(base, '}', 1, true) - 1)
local READY, DELAYED, RUNNING, DEAD = base .. 'ready', base .. 'delayed', base .. 'running', base .. 'dead'
local FIELDS = { 'st', 'pl', 'pt', 'pr', 'att', 'max', 'to', 'cr', 'sc', 'sa', 'fa', 'err', 'inst', 'tok' }

local function job(id)
  return base .. 'job:' .. id
end

local function redis_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function ready_score(key)
  local f = redis.call('HMGET', key, 'pr', 'seq')
  return (1000 - tonumber(f[1])) * 1099511627776 + tonumber(f[2])
end

local function notify(due)
  redis.call('PUBLISH', channel, qtype .. ' ' .. due)
end

local function make_ready(id, key)
  local was_empty = redis.call('ZCARD', READY) == 0
  redis.call('ZADD', READY, ready_score(key), id)
  return was_empty
end

-- the job's fields in FIELDS order, preceded by its id
local function read(id, key, out)
  out[#out + 1] = id
  local f = redis.call('HMGET', key, unpack(FIELDS))
  for i = 1, #FIELDS do
    out[#out + 1] = f[i]
  end
end

local function holds(key, token)
  local f = redis.call('HMGET', key, 'st', 'tok')
  return f[1] == 'RUNNING' and f[2] == token
end

-- ZADD of many members in calls of at most 500 pairs: Lua unpacks only so many values at once.
-- members: score and member, one after the other
local function zadd_all(key, members)
  for i = 1, #members, 1000 do
    redis.call('ZADD', key, unpack(members, i, math.min(i + 999, #members)))
  end
end

-- ZREM of many members, in calls of at most 1000.
local function zrem_all(key, members)
  for i = 1, #members, 1000 do
    redis.call('ZREM', key, unpack(members, i, math.min(i + 999, #members)))
  end
end

-- adds one job (ARGV from a: id, status, payload, hasPayload, payload class, priority, max
-- attempts, timeout ms, scheduled ms) with sequence number seq; returns 'C' | 'X' | 'F'. The
-- job's place in READY or DELAYED is appended to ready or delayed (score, id), which the
-- caller adds in one call.
local function add(a, room, now, seq, ready, delayed)
  local id = ARGV[a]
  local key = job(id)
  if redis.call('EXISTS', key) == 1 then
    return 'X'
  end
  if room <= 0 then
    return 'F'
  end
  local fields = { 'st', ARGV[a + 1], 'pt', ARGV[a + 4], 'pr', ARGV[a + 5], 'att', 0, 'max', ARGV[a + 6], 'cr', now,
    'sc', ARGV[a + 8], 'seq', seq }
  if ARGV[a + 3] == '1' then
    fields[#fields + 1] = 'pl'
    fields[#fields + 1] = ARGV[a + 2]
  end
  if ARGV[a + 7] ~= '' then
    fields[#fields + 1] = 'to'
    fields[#fields + 1] = ARGV[a + 7]
  end
  redis.call('HSET', key, unpack(fields))
  if ARGV[a + 1] == 'DELAYED' then
    delayed[#delayed + 1] = ARGV[a + 8]
    delayed[#delayed + 1] = id
  else
    ready[#ready + 1] = (1000 - tonumber(ARGV[a + 5])) * 1099511627776 + seq
    ready[#ready + 1] = id
  end
  return 'C'
end

if op == 'e' then
  local capacity, now = tonumber(ARGV[3]), ARGV[4]
  local ready_count = redis.call('ZCARD', READY)
  local room = capacity - ready_count - redis.call('ZCARD', DELAYED)
  local jobs = (#ARGV - 4) / 9
  -- one increment for the sequence numbers of the call's jobs, each taking the next
  local seq = redis.call('INCRBY', base .. 'seq', jobs) - jobs
  local answers, ready, delayed = {}, {}, {}
  for a = 5, #ARGV, 9 do
    seq = seq + 1
    local answer = add(a, room, now, seq, ready, delayed)
    if answer == 'C' then
      room = room - 1
    end
    answers[#answers + 1] = answer
  end
  if #ready > 0 then
    zadd_all(READY, ready)
    if ready_count == 0 then
      notify(0)
    end
  end
  if #delayed > 0 then
    local earliest = nil
    for i = 1, #delayed, 2 do
      local due = tonumber(delayed[i])
      if earliest == nil or due < earliest then
        earliest = due
      end
    end
    local first = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
    zadd_all(DELAYED, delayed)
    if first[2] == nil or earliest < tonumber(first[2]) then
      notify(string.format('%.0f', earliest))
    end
  end
  return answers
end

-- ends a succeeded attempt but for its removal from RUNNING, left to the caller; false if its
-- lease was lost
local function succeed_job(id, token, now, retention)
  local key = job(id)
  if not holds(key, token) then
    return false
  end
  if tonumber(retention) > 0 then
    redis.call('HSET', key, 'st', 'SUCCEEDED', 'fa', now)
    redis.call('PEXPIRE', key, retention)
  else
    redis.call('DEL', key)
  end
  return true
end

if op == 'c' then
  local instance, max, lease, default_max, now = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]),
    ARGV[7]
  local lost_acks, ended = {}, {}
  for i = 9, #ARGV, 2 do
    if succeed_job(ARGV[i], ARGV[i + 1], now, ARGV[8]) then
      ended[#ended + 1] = ARGV[i]
    else
      lost_acks[#lost_acks + 1] = ARGV[i]
    end
  end
  if #ended > 0 then
    zrem_all(RUNNING, ended)
  end
  local rnow = redis_ms()
  -- the earliest delayed job and lease, read once: most calls find neither due
  local d = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
  if d[2] and tonumber(d[2]) <= tonumber(now) then
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', DELAYED, '-inf', now, 'LIMIT', 0, 1000)) do
      redis.call('ZREM', DELAYED, id)
      local key = job(id)
      redis.call('HSET', key, 'st', 'READY')
      redis.call('ZADD', READY, ready_score(key), id)
    end
    d = redis.call('ZRANGE', DELAYED, 0, 0, 'WITHSCORES')
  end
  local r = redis.call('ZRANGE', RUNNING, 0, 0, 'WITHSCORES')
  local abandoned = {}
  if r[2] and tonumber(r[2]) < rnow then
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', RUNNING, '-inf', '(' .. rnow, 'LIMIT', 0, 1000)) do
      local key = job(id)
      local f = redis.call('HMGET', key, 'att', 'max', 'inst')
      local allowed = tonumber(f[2])
      if allowed == 0 then
        allowed = default_max
      end
      local expiry = redis.call('ZSCORE', RUNNING, id)
      redis.call('ZREM', RUNNING, id)
      redis.call('HSET', key, 'err', 'attempt ' .. f[1] .. " abandoned: the lease of instance '" .. tostring(f[3])
        .. "' expired at Redis time " .. expiry .. ' ms')
      if tonumber(f[1]) >= allowed then
        redis.call('HSET', key, 'st', 'DEAD', 'fa', now)
        redis.call('ZADD', DEAD, now, id)
      else
        redis.call('HSET', key, 'st', 'READY')
        redis.call('ZADD', READY, ready_score(key), id)
      end
      read(id, key, abandoned)
    end
    r = redis.call('ZRANGE', RUNNING, 0, 0, 'WITHSCORES')
  end
  local paused = redis.call('EXISTS', base .. 'paused')
  -- the answer, built in place: n delivered (set below), their fields, then the rest
  local result = { 0 }
  local delivered = 0
  if paused == 0 and max > 0 then
    local popped = redis.call('ZPOPMIN', READY, max)
    -- one increment for the claim's fencing tokens, each job taking the next
    local token = 0
    if #popped > 0 then
      token = redis.call('INCRBY', base .. 'token', #popped / 2) - #popped / 2
    end
    local leased = {}
    for i = 1, #popped, 2 do
      local id = popped[i]
      local key = job(id)
      token = token + 1
      local f = redis.call('HMGET', key, unpack(FIELDS))
      local attempts = tonumber(f[5]) + 1
      redis.call('HSET', key, 'st', 'RUNNING', 'att', attempts, 'sa', now, 'inst', instance, 'tok', token)
      if f[11] then
        redis.call('HDEL', key, 'fa')
      end
      leased[#leased + 1] = rnow + lease
      leased[#leased + 1] = id
      -- the job as it is now: FIELDS order, with what this claim changed
      f[1], f[5], f[10], f[11], f[13], f[14] = 'RUNNING', attempts, now, false, instance, token
      local at = #result
      result[at + 1] = id
      for j = 1, #FIELDS do
        result[at + 1 + j] = f[j]
      end
      delivered = delivered + 1
    end
    if #leased > 0 then
      zadd_all(RUNNING, leased)
      if not r[2] or tonumber(r[2]) > rnow + lease then
        r = { '', rnow + lease }
      end
    end
  end
  result[1] = delivered
  result[#result + 1] = #abandoned / (#FIELDS + 1)
  for i = 1, #abandoned do
    result[#result + 1] = abandoned[i]
  end
  local next_due = ''
  if d[2] then
    next_due = tonumber(d[2])
  end
  if r[2] then
    -- a lease expiry in Redis time, moved to the caller's clock
    local expiry = tonumber(r[2]) - rnow + tonumber(now)
    if next_due == '' or expiry < next_due then
      next_due = expiry
    end
  end
  result[#result + 1] = tostring(next_due)
  result[#result + 1] = paused
  result[#result + 1] = rnow + lease - tonumber(now)
  for i = 1, #lost_acks do
    result[#result + 1] = lost_acks[i]
  end
  return result
end

if op == 'x' then
  local lease = tonumber(ARGV[3])
  local until_ms = redis_ms() + lease
  local lost = {}
  for i = 4, #ARGV, 2 do
    local id, token = ARGV[i], ARGV[i + 1]
    if holds(job(id), token) then
      redis.call('ZADD', RUNNING, 'XX', until_ms, id)
    else
      lost[#lost + 1] = id
    end
  end
  return lost
end

if op == 'n' then
  return { redis.call('ZCARD', READY), redis.call('ZCARD', DELAYED), redis.call('ZCARD', RUNNING),
    redis.call('ZCARD', DEAD), redis.call('EXISTS', base .. 'paused') }
end

if op == 'p' then
  if ARGV[3] == '1' then
    redis.call('SET', base .. 'paused', '1')
  else
    redis.call('DEL', base .. 'paused')
    notify(0)
  end
  return 1
end

if op == 'd' then
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', DEAD, '-inf', '(' .. ARGV[4], 'LIMIT', 0, 1000)) do
    redis.call('ZREM', DEAD, old)
    redis.call('DEL', job(old))
  end
  local id = ARGV[3]
  if id == '' or redis.call('HGET', job(id), 'st') ~= 'DEAD' then
    return 0
  end
  redis.call('ZREM', DEAD, id)
  redis.call('DEL', job(id))
  return 1
end

local id = ARGV[3]
local key = job(id)

local function finish(retention)
  if tonumber(retention) > 0 then
    redis.call('PEXPIRE', key, retention)
  else
    redis.call('DEL', key)
  end
end

if op == 's' then
  if not succeed_job(id, ARGV[4], ARGV[5], ARGV[6]) then
    return 0
  end
  redis.call('ZREM', RUNNING, id)
  return 1
end

if op == 'r' then
  if not holds(key, ARGV[4]) then
    return 0
  end
  redis.call('ZREM', RUNNING, id)
  redis.call('HSET', key, 'st', 'DELAYED', 'sc', ARGV[5], 'err', ARGV[6])
  redis.call('ZADD', DELAYED, ARGV[5], id)
  if redis.call('ZRANGE', DELAYED, 0, 0)[1] == id then
    notify(ARGV[5])
  end
  return 1
end

if op == 'b' then
  if not holds(key, ARGV[4]) then
    return 0
  end
  redis.call('ZREM', RUNNING, id)
  redis.call('HSET', key, 'st', 'DEAD', 'fa', ARGV[5], 'err', ARGV[6])
  redis.call('ZADD', DEAD, ARGV[5], id)
  local extra = redis.call('ZCARD', DEAD) - tonumber(ARGV[7])
  if extra > 0 then
    local popped = redis.call('ZPOPMIN', DEAD, extra)
    for i = 1, #popped, 2 do
      redis.call('DEL', job(popped[i]))
    end
  end
  return 1
end

if op == 'l' then
  if not holds(key, ARGV[4]) then
    return 0
  end
  redis.call('ZREM', RUNNING, id)
  redis.call('HINCRBY', key, 'att', -1)
  redis.call('HSET', key, 'st', 'READY')
  redis.call('HDEL', key, 'sa')
  make_ready(id, key)
  notify(0)
  return 1
end

if op == 'k' then
  local status = redis.call('HGET', key, 'st')
  if status == 'READY' then
    redis.call('ZREM', READY, id)
  elseif status == 'DELAYED' then
    redis.call('ZREM', DELAYED, id)
  else
    return 0
  end
  redis.call('HSET', key, 'st', 'CANCELLED', 'fa', ARGV[4])
  finish(ARGV[5])
  return 1
end

if op == 'q' then
  if redis.call('HGET', key, 'st') ~= 'DEAD' then
    return 0
  end
  redis.call('ZREM', DEAD, id)
  redis.call('HSET', key, 'st', 'READY', 'att', 0, 'sc', ARGV[4])
  redis.call('HDEL', key, 'fa')
  make_ready(id, key)
  notify(0)
  return 1
end

return redis.error_reply('unknown queue operation ' .. tostring(op))
