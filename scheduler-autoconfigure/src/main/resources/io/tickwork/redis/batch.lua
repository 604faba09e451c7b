-- Tickwork's batch script: runs a batch of operations in one round trip; each operation touches the
-- keys of one job, all under one hash tag. ScriptCodec (Java) writes the arguments and reads the
-- answers in the order listed here.
--
-- KEYS: 2 per operation: 1 the job's state hash, 2 its history list.
-- ARGV: 1 history max per job, 2 history ttl (ms), 3 fire window, then per operation its kind and
-- its arguments. Returns one string per operation; an operation that fails answers 'E <error>'
-- without failing the others.
--
-- Operations (kind: arguments -> answer); flags in the kind are 1 or 0:
--   c<check fire and pause><exclusive><record history>  claim: scheduled (epoch ms), lock ttl (ms),
--       token, execution id, running execution json before and after its fencing token
--       -> 'A <fencing>' | 'C' (already claimed) | 'C <latest> <n>' (claimed, and n claimed fires
--       follow it up to the latest) | 'O <to>' (older than a claimed fire and unclaimed:
--       the instance told so records the unclaimed fires up to to, see tell) | 'C <to>' (older, and recorded
--       by another instance up to to) | 'C <first> <latest> <n>' (older than a full window: claimed
--       up to its oldest fire, first, and n claimed fires follow that) | 'P' (paused) | 'L' (locked)
--   m1<exclusive><record history>  claim of a fire that stands for missed ones: the same, then the
--       first and the last of them (epoch ms) -> as c (see take_missed)
--   x<exclusive>  extend: token, ttl (ms), execution id (only if not exclusive) -> '1' held | '0'
--   r<exclusive><record history>  release: token, status, duration (micros, or empty), finished
--       (epoch micros), json, execution id (only if not exclusive) -> '1' held | '0'
--   w  write history: status, duration (micros, or empty), finished (epoch micros, or empty), json
--       -> '1' written | '0' (already recorded)
--   W  write a record whose id was never recorded (an attempt of a queued job, whose id carries
--       its fencing token; the first write of a skipped fire's record): the same, without looking
--       the id up in the history; the records of one job in a call are pushed and counted together
--   p  reap: (none) -> '1'; records expired leases ABANDONED, keeps the state and history from
--       expiring
--   f  claim fire: scheduled (epoch ms) -> '1' taken | the refusals of a claim ('C', 'O <to>',
--       'C <to>')
--   g  claim a fire that stands for missed ones: scheduled, first and last of them (epoch ms) ->
--       as f (see take_missed)
--   l  read latest fire: (none) -> epoch ms | ''
--   i  read paused: (none) -> '1' paused | ''
--   h  read history: limit -> executions, one json a line, running ones first
--   s  read statistics: (none) -> STATS each followed by a comma, then a line with the last error
--
-- State hash fields: fire (see FIRE), ring (the latest claimed fires, see take_fire), told
-- (ranges of unclaimed fires, see tell), paused, lock ('<expiry ms>|<token>|
-- <running execution json>', empty when free), run:<execution id> (the same, for jobs that allow
-- overlapping executions), and the statistics of finished executions (see STATS). History: execution json,
-- newest first, trimmed to the max now and then, expiring a ttl after the last maintenance pass
-- of an instance that runs the job. Expiries come from Redis's own clock, never an instance's.

local max = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

-- The statistics of finished executions live in one binary field, 'stats': these numbers in
-- this order, as little-endian doubles, -1 while unknown; durations and times in micros. Binary,
-- so that counting an execution converts no number to or from text.
-- STATS: total, succeeded, failed, skipped, runs, totalMicros, minMicros, maxMicros,
-- lastSuccess, lastFailure; the message of the last failure lives in 'lastError'.
local STATS = '<dddddddddd'

-- Reads a binary field, refusing one of another size (written by another version) with an
-- error that names it.
local function decode(k, field, format, size, value)
  if #value ~= size then
    error("field '" .. field .. "' of " .. KEYS[k + 1] .. ' is not in the format of this Tickwork version ('
      .. size .. ' bytes expected, found ' .. #value .. ')', 0)
  end
  return struct.unpack(format, value)
end

local function int(x)
  return string.format('%.0f', x)
end

local function status_of(json)
  return string.match(json, '"status":"(%u+)"')
end

-- A lease value's expiry.
local function expiry(value)
  return tonumber(string.sub(value, 1, string.find(value, '|', 1, true) - 1))
end

-- A lease value's json.
local function lease_json(value)
  return string.sub(value, string.find(value, '|', string.find(value, '|', 1, true) + 1, true) + 1)
end

-- Whether a lease value holds the token; compares in place, as Redis's Lua hashes every byte
-- of every string it makes.
local function holds(value, token)
  local bar = string.find(value, '|', 1, true)
  return string.find(value, token, bar + 1, true) == bar + 1 and string.byte(value, bar + #token + 1) == 124
end

local function put(out, name, value)
  out[#out + 1] = name
  out[#out + 1] = value
end

-- Counts a finished execution in v, the STATS as a table of numbers; undo first takes back the
-- ABANDONED guess it replaces. An ABANDONED execution counts as failed but adds no duration:
-- its end is only an estimate. duration: micros, or nil; finished: epoch micros. Answers the
-- message of the failure when it is the latest one, else nil.
local function count_values(v, status, duration, finished, json, undo)
  if undo then
    v[3] = v[3] - 1
  else
    v[1] = v[1] + 1
  end
  if status == 'SKIPPED' then
    v[4] = v[4] + 1
  elseif status ~= 'ABANDONED' and duration then
    v[5] = v[5] + 1
    v[6] = v[6] + duration
    if v[7] < 0 or duration < v[7] then
      v[7] = duration
    end
    if duration > v[8] then
      v[8] = duration
    end
  end
  if status == 'SUCCEEDED' then
    v[2] = v[2] + 1
    if finished >= v[9] then
      v[9] = finished
    end
  elseif status ~= 'SKIPPED' then
    v[3] = v[3] + 1
    if finished >= v[10] then
      v[10] = finished
      return string.match(json, '"error":"(.-)","instance"') or ''
    end
  end
  return nil
end

-- The STATS as a table of numbers: stats is the 'stats' field, or nil while none.
local function stats_values(k, stats)
  if stats then
    return { decode(k, 'stats', STATS, 80, stats) }
  end
  return { 0, 0, 0, 0, 0, 0, -1, -1, -1, -1 }
end

-- Appends to out the statistics that count a finished execution (see count_values); stats: the
-- 'stats' field, or nil.
local function count(k, out, stats, status, duration, finished, json, undo)
  local v = stats_values(k, stats)
  local failure = count_values(v, status, duration, finished, json, undo)
  if failure then
    put(out, 'lastError', failure)
  end
  put(out, 'stats', struct.pack(STATS, unpack(v)))
end

-- Records an execution at most once per id: a finished record replaces a running one, or an
-- ABANDONED guess made by another instance. fresh: the caller knows that the id was never
-- recorded (its lease was still there), which spares the look-up. Appends the statistics to
-- out, which the caller writes; s: the 'stats' field as HMGET read it (false when absent),
-- or nil to read it here; duration and finished as count takes them.
local function record(k, out, s, status, duration, finished, json, fresh)
  if max <= 0 then
    return '0'
  end
  local history = KEYS[k + 2]
  local undo = false
  local replaced = false
  if not fresh then
    local prefix = string.sub(json, 1, string.find(json, ',"job":', 1, true))
    local entries = redis.call('LRANGE', history, 0, -1)
    for i = 1, #entries do
      if string.sub(entries[i], 1, #prefix) == prefix then
        local previous = status_of(entries[i])
        if previous == 'ABANDONED' and status ~= 'RUNNING' and status ~= 'ABANDONED' then
          undo = true
        elseif previous ~= 'RUNNING' then
          return '0'
        end
        redis.call('LSET', history, i - 1, json)
        replaced = true
        break
      end
    end
  end
  if not replaced then
    local length = redis.call('LPUSH', history, json)
    if length == 1 then
      redis.call('PEXPIRE', history, ttl)
    elseif length > max + 16 then
      redis.call('LTRIM', history, 0, max - 1)
    end
  end
  if status ~= 'RUNNING' then
    if s == nil then
      s = redis.call('HGET', KEYS[k + 1], 'stats')
    end
    count(k, out, s or nil, status, duration, finished, json, undo)
  end
  return '1'
end

local function write_state(k, out)
  if #out > 0 then
    redis.call('HSET', KEYS[k + 1], unpack(out))
  end
end

-- Records as ABANDONED the execution of an expired lease: its instance died or lost Redis
-- for longer than the lock's time to live.
local function abandon(k, value)
  local finished = expiry(value) * 1000
  local json = string.gsub(lease_json(value), '"status":"RUNNING"', '"status":"ABANDONED"', 1)
  json = string.gsub(json, '"finished":null', '"finished":' .. int(finished), 1)
  json = string.gsub(json, '"error":null',
    '"error":"abandoned: its instance stopped renewing the lock before the execution ended"', 1)
  local out = {}
  record(k, out, nil, 'ABANDONED', nil, finished, json, false)
  write_state(k, out)
end

-- The job's counters live in one binary field, 'fire': the latest claimed fire (epoch ms, -1
-- while none), a number kept for the format's sake (the oldest slot of the ring of fields
-- f1..fN in which versions before 0.2.0 kept the claimed fires) and the fencing counter, as
-- little-endian doubles.
local FIRE = '<ddd'

local function counters(k, value)
  if value then
    local latest, head, fence = decode(k, 'fire', FIRE, 24, value)
    return latest, head, fence
  end
  return -1, 1, 0
end

-- The field 'told': ranges of unclaimed fires that one instance records, as pairs of
-- little-endian doubles, from (included) and to (excluded), in the order they were kept, at most
-- as many as the window, never overlapping; empty if written by a version that kept single fires
-- (they count as claimed from now on).
local function told_ranges(k)
  local told = redis.call('HGET', KEYS[k + 1], 'told') or ''
  return (#told % 16 == 0) and told or ''
end

-- Keeps the range from..to in 'told' (see told_ranges). full: whether the window of claimed
-- fires is full, first: its oldest; a range that ends before a full window's oldest is
-- forgotten, as a fire older than the window counts as claimed.
local function keep_told(k, told, from, to, full, first)
  local kept = {}
  for i = 1, #told - 15, 16 do
    local _, until_ = struct.unpack('<dd', told, i)
    if not full or until_ > first then
      kept[#kept + 1] = string.sub(told, i, i + 15)
    end
  end
  if #kept >= window then
    table.remove(kept, 1)
  end
  kept[#kept + 1] = struct.pack('<dd', from, to)
  redis.call('HSET', KEYS[k + 1], 'told', table.concat(kept))
end

-- Answers 'O <to>' for a fire older than the latest claimed one and never claimed, once: the
-- instance told so records it, and its record stands for every unclaimed fire from this one up
-- to the latest claimed one or the first range kept after it, whichever comes first (to), so
-- that no two records stand for one fire. The range is kept (see keep_told), and a fire asked
-- later within one is refused as 'C <to>': claimed or recorded up to to.
local function tell(k, time, latest, full, first)
  local told = told_ranges(k)
  local to = latest
  for i = 1, #told - 15, 16 do
    local from, until_ = struct.unpack('<dd', told, i)
    if time >= from and time < until_ then
      return 'C ' .. int(until_)
    end
    if from > time and from < to then
      to = from
    end
  end
  keep_told(k, told, time, to, full, first)
  return 'O ' .. int(to)
end

-- Takes a fire if it is later than every claimed one (fires are claimed in order, so that
-- fencing tokens follow fire order); appends the new ring to out and answers nil and the
-- latest fire. Else answers the refusal: 'C' if the fire is the latest claimed one, 'C <first>
-- <latest> <n>' if it is older than the whole window while the window is full (it may have been
-- claimed, every fire up to the window's oldest, first, counts as claimed, and n claimed fires
-- follow first up to the latest), 'C <latest> <n>' if it was
-- claimed and n claimed fires follow it up to the latest (an instance whose schedule has n
-- fires in between passes them), 'O <to>' if it is older than a claimed fire and was not
-- claimed itself, 'C <to>' if another record stands for it (see tell). ring: the field 'ring', the latest claimed fires in fire order, oldest first, as
-- little-endian doubles (false or nil while none): a fire later than every claimed one (the
-- usual case) is appended and the oldest dropped once the window is full; the latest fire
-- again (another instance's claim of the same fire) is refused at once; an older one is
-- looked for by halves within the field, as instances that claim the same fires make it
-- common, without another read.
local function take_fire(k, latest, ring, scheduled, out)
  local time = tonumber(scheduled)
  ring = ring or ''
  local count = math.floor(#ring / 8)
  if time > latest then
    if count >= window then
      ring = string.sub(ring, (count - window + 1) * 8 + 1)
    elseif count == 0 and latest >= 0 then
      -- the first claim since a version that kept the claimed fires in fields of their own
      local slots = {}
      for i = 1, window do
        slots[i] = 'f' .. i
      end
      redis.call('HDEL', KEYS[k + 1], unpack(slots))
    end
    put(out, 'ring', ring .. struct.pack('<d', time))
    return nil, time
  end
  if time == latest then
    return 'C'
  end
  if count == 0 then
    return tell(k, time, latest, false, time)
  end
  local full = count >= window
  local first = struct.unpack('<d', ring, 1)
  if time == first then
    return 'C ' .. int(latest) .. ' ' .. (count - 1)
  end
  if time < first then
    if not full then
      return tell(k, time, latest, false, first)
    end
    -- older than a full window counts as claimed, and so does every fire up to its oldest;
    -- the claimed fires after that one follow
    return 'C ' .. int(first) .. ((count > 1) and (' ' .. int(latest) .. ' ' .. (count - 1)) or '')
  end
  -- first < time < latest: halves of the positions 0 (first) .. count - 1 (latest)
  local low, high = 1, count - 2
  while low <= high do
    local middle = math.floor((low + high) / 2)
    local value = struct.unpack('<d', ring, middle * 8 + 1)
    if value == time then
      return 'C ' .. int(latest) .. ' ' .. (count - 1 - middle)
    elseif value < time then
      low = middle + 1
    else
      high = middle - 1
    end
  end
  return tell(k, time, latest, full, first)
end

-- Takes the fires a misfire's record stands for, first to last (epoch ms, as text), together:
-- if last is later than every claimed fire it is taken as take_fire takes it, and the fires
-- before it, from first or from the latest claimed one if that is later (ranges kept before end
-- there), are kept as told (see keep_told); else answers take_fire's refusal of scheduled.
local function take_missed(k, latest, ring, scheduled, first, last, out)
  local to = tonumber(last)
  if to <= latest then
    return take_fire(k, latest, ring, scheduled, out)
  end
  local from = math.max(tonumber(first), latest)
  if from < to then
    local count = math.floor(#(ring or '') / 8)
    keep_told(k, told_ranges(k), from, to, count >= window, (count > 0) and struct.unpack('<d', ring, 1) or 0)
  end
  return take_fire(k, latest, ring, last, out)
end

-- The expiry of a lease taken now for a ttl (ms, as text); the same for every operation of a call.
local expiries = {}
local function expiry_after(ttl)
  local value = expiries[ttl]
  if not value then
    value = int(now + tonumber(ttl))
    expiries[ttl] = value
  end
  return value
end

-- c<check fire and pause><exclusive><record history> (each 1/0): claims a fire. 1 scheduled
-- (epoch ms), 2 lock ttl (ms), 3 token, 4 execution id, 5 and 6 the running execution's json
-- before and after its fencing token. Answers 'A <fencing>', a refusal of take_fire ('C', 'O
-- <to>' or 'C <to>'), 'P' (paused) or 'L' (locked). m1<exclusive><record history>: the claim
-- of a fire that stands for missed ones (see take_missed), with 7 the first and 8 the last of
-- them (epoch ms).
local function claim(k, a, checks, exclusive, history, missed)
  local s = redis.call('HMGET', KEYS[k + 1], 'fire', 'paused', 'lock', 'ring')
  local latest, head, fence = counters(k, s[1])
  local out = {}
  if checks then
    local refused
    if missed then
      refused, latest = take_missed(k, latest, s[4], ARGV[a], ARGV[a + 6], ARGV[a + 7], out)
    else
      refused, latest = take_fire(k, latest, s[4], ARGV[a], out)
    end
    if refused then
      return refused
    end
    if s[2] then
      put(out, 'fire', struct.pack(FIRE, latest, head, fence))
      write_state(k, out)
      return 'P'
    end
  end
  local field
  if exclusive then
    field = 'lock'
    local held = s[3]
    if held and held ~= '' then
      if expiry(held) >= now then
        if checks then
          put(out, 'fire', struct.pack(FIRE, latest, head, fence))
        end
        write_state(k, out)
        return 'L'
      end
      if history then
        abandon(k, held)
      end
    end
  else
    field = 'run:' .. ARGV[a + 3]
  end
  fence = fence + 1
  local fencing = int(fence)
  put(out, 'fire', struct.pack(FIRE, latest, head, fence))
  put(out, field, expiry_after(ARGV[a + 1]) .. '|' .. ARGV[a + 2] .. '|' .. ARGV[a + 4] .. fencing .. ARGV[a + 5])
  write_state(k, out)
  if not checks then
    -- a cluster lock's hash (or a manual run's): no maintenance pass may keep it, so it expires by itself
    redis.call('PEXPIRE', KEYS[k + 1], math.max(ttl, 2 * tonumber(ARGV[a + 1])))
  end
  return 'A ' .. fencing
end

local function claim_missed(k, a, checks, exclusive, history)
  return claim(k, a, checks, exclusive, history, true)
end

-- x<exclusive>: extends a lease, only for its own token. 1 token, 2 ttl (ms), 3 execution id
-- (only if not exclusive). Answers '1' if the lease was still held.
local function extend(k, a, exclusive)
  local token = ARGV[a]
  local field = exclusive and 'lock' or ('run:' .. ARGV[a + 2])
  local value = redis.call('HGET', KEYS[k + 1], field)
  if not value or value == '' or not holds(value, token) then
    return '0'
  end
  if exclusive and expiry(value) < now then
    return '0'
  end
  local rest = string.sub(value, (string.find(value, '|', 1, true)))
  redis.call('HSET', KEYS[k + 1], field, expiry_after(ARGV[a + 1]) .. rest)
  if redis.call('PTTL', KEYS[k + 1]) < 2 * tonumber(ARGV[a + 1]) then
    redis.call('PEXPIRE', KEYS[k + 1], math.max(ttl, 2 * tonumber(ARGV[a + 1])))
  end
  return '1'
end

-- r<exclusive><record history>: releases a lease, only for its own token, and records the
-- finished execution. 1 token, 2 status, 3 duration (micros; empty if none), 4 finished (epoch
-- micros), 5 json, 6 execution id (only if not exclusive). Answers '1' if the lease was still held.
local function release(k, a, exclusive, history)
  local token = ARGV[a]
  local field = exclusive and 'lock' or ('run:' .. ARGV[a + 5])
  local s = history and redis.call('HMGET', KEYS[k + 1], field, 'stats')
    or redis.call('HMGET', KEYS[k + 1], field)
  local value = s[1]
  local held = '0'
  local fresh = false
  local out = {}
  if value and value ~= '' then
    if holds(value, token) then
      fresh = true
      held = (expiry(value) >= now) and '1' or '0'
      if exclusive then
        put(out, 'lock', '')
      else
        redis.call('HDEL', KEYS[k + 1], field)
      end
    elseif not exclusive then
      return '0'
    end
  end
  if history then
    record(k, out, s[2], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), ARGV[a + 4], fresh)
  end
  write_state(k, out)
  return held
end

-- w: records an execution. 1 status, 2 duration (micros; empty if none), 3 finished (epoch
-- micros; empty while running), 4 json.
local function write(k, a)
  local out = {}
  local written = record(k, out, nil, ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), ARGV[a + 3],
    false)
  write_state(k, out)
  return written
end

-- Records of fresh ids ('W') wait in the call for the others of their job: state key -> { k, v
-- (the STATS as numbers), failure (the latest failure's message, or nil), json (the records,
-- oldest first), answers (their places in the call's answers) }; each job's records are pushed
-- and counted once, before any other operation on the job and at the end of the call.
local pending, pending_order = {}, {}

-- W: records an execution whose id was never recorded (see write), with the job's other such
-- records of the call.
local function write_fresh(k, a, answer)
  if max <= 0 then
    return '0'
  end
  local key = KEYS[k + 1]
  local p = pending[key]
  if not p then
    p = { k = k, v = stats_values(k, redis.call('HGET', key, 'stats') or nil), json = {}, answers = {} }
    pending[key] = p
    pending_order[#pending_order + 1] = key
  end
  local status, json = ARGV[a], ARGV[a + 3]
  if status ~= 'RUNNING' then
    local failure = count_values(p.v, status, tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), json, false)
    if failure then
      p.failure = failure
    end
    p.counted = true
  end
  p.json[#p.json + 1] = json
  p.answers[#p.answers + 1] = answer
  return '1'
end

-- Writes a job's waiting records: one push, one write of its statistics.
local function flush(key, results)
  local p = pending[key]
  pending[key] = nil
  local ok, failure = pcall(function()
    local history = KEYS[p.k + 2]
    local length = redis.call('LPUSH', history, unpack(p.json))
    if length == #p.json then
      redis.call('PEXPIRE', history, ttl)
    elseif length > max + 16 then
      redis.call('LTRIM', history, 0, max - 1)
    end
    if p.counted then
      local out = {}
      if p.failure then
        put(out, 'lastError', p.failure)
      end
      put(out, 'stats', struct.pack(STATS, unpack(p.v)))
      redis.call('HSET', key, unpack(out))
    end
  end)
  if not ok then
    if type(failure) == 'table' then
      failure = failure.err
    end
    for i = 1, #p.answers do
      results[p.answers[i]] = 'E ' .. tostring(failure)
    end
  end
end

-- p: records the executions of expired leases as ABANDONED, and keeps the state and history
-- of a job that some instance still runs from expiring: reads skip records older than the ttl,
-- and the keys of a job that no instance runs any more expire a ttl after the last pass.
local function reap(k, a)
  redis.call('PEXPIRE', KEYS[k + 1], ttl)
  redis.call('PEXPIRE', KEYS[k + 2], ttl)
  local fields = redis.call('HGETALL', KEYS[k + 1])
  for i = 1, #fields, 2 do
    local name, value = fields[i], fields[i + 1]
    if (name == 'lock' or string.sub(name, 1, 4) == 'run:') and value ~= '' and expiry(value) < now then
      if name == 'lock' then
        redis.call('HSET', KEYS[k + 1], 'lock', '')
      else
        redis.call('HDEL', KEYS[k + 1], name)
      end
      abandon(k, value)
    end
  end
  return '1'
end

-- f: remembers a fire as claimed. 1 scheduled (epoch ms). Answers '1' if it was taken, else
-- the refusal of take_fire.
local function claim_fire(k, a, missed)
  local s = redis.call('HMGET', KEYS[k + 1], 'fire', 'ring')
  local latest, head, fence = counters(k, s[1] or nil)
  local out = {}
  local refused
  if missed then
    refused, latest = take_missed(k, latest, s[2], ARGV[a], ARGV[a + 1], ARGV[a + 2], out)
  else
    refused, latest = take_fire(k, latest, s[2], ARGV[a], out)
  end
  if refused then
    return refused
  end
  put(out, 'fire', struct.pack(FIRE, latest, head, fence))
  write_state(k, out)
  return '1'
end

-- l: reads the latest claimed fire (epoch ms), or '' if none was claimed.
local function read_fire(k, a)
  local latest = counters(k, redis.call('HGET', KEYS[k + 1], 'fire') or nil)
  return (latest >= 0) and int(latest) or ''
end

-- i: reads whether the job is paused: '1' or ''.
local function read_paused(k, a)
  return (redis.call('HEXISTS', KEYS[k + 1], 'paused') == 1) and '1' or ''
end

-- h: reads the latest executions, running ones first. 1 limit. Answers them one a line.
local function read(k, a)
  local lines = {}
  local fields = redis.call('HGETALL', KEYS[k + 1])
  for i = 1, #fields, 2 do
    local name, value = fields[i], fields[i + 1]
    if (name == 'lock' or string.sub(name, 1, 4) == 'run:') and value ~= '' then
      lines[#lines + 1] = lease_json(value)
    end
  end
  local finished = redis.call('LRANGE', KEYS[k + 2], 0, math.min(tonumber(ARGV[a]), max) - 1)
  for i = 1, #finished do
    lines[#lines + 1] = finished[i]
  end
  return table.concat(lines, '\n')
end

-- s: reads the statistics. Answers the STATS, each followed by a comma, empty while unknown,
-- then a line with the last failure's message; empty if nothing was counted yet.
local function read_stats(k, a)
  local s = redis.call('HMGET', KEYS[k + 1], 'stats', 'lastError')
  if not s[1] then
    return ''
  end
  local values = { decode(k, 'stats', STATS, 80, s[1]) }
  local text = {}
  for i = 1, 10 do
    text[i] = (values[i] >= 0) and int(values[i]) or ''
  end
  return table.concat(text, ',') .. ',\n' .. (s[2] or '')
end

-- OPERATIONS: kind -> the operation, how many arguments it takes, and its flags.
local operations = {
  c000 = { claim, 6, false, false, false }, c001 = { claim, 6, false, false, true },
  c010 = { claim, 6, false, true, false }, c011 = { claim, 6, false, true, true },
  c100 = { claim, 6, true, false, false }, c101 = { claim, 6, true, false, true },
  c110 = { claim, 6, true, true, false }, c111 = { claim, 6, true, true, true },
  m100 = { claim_missed, 8, true, false, false }, m101 = { claim_missed, 8, true, false, true },
  m110 = { claim_missed, 8, true, true, false }, m111 = { claim_missed, 8, true, true, true },
  r00 = { release, 6, false, false }, r01 = { release, 6, false, true },
  r10 = { release, 5, true, false }, r11 = { release, 5, true, true },
  x0 = { extend, 3, false }, x1 = { extend, 2, true },
  w = { write, 4 }, W = { write_fresh, 4 }, p = { reap, 0 }, f = { claim_fire, 1 }, g = { claim_fire, 3, true }, h = { read, 1 }, s = { read_stats, 0 }, l = { read_fire, 0 }, i = { read_paused, 0 }
}

local results = {}
local a = 4
local k = 0
while a <= #ARGV do
  local kind = ARGV[a]
  local operation = operations[kind]
  local ok, result
  if kind == 'W' then
    ok, result = pcall(operation[1], k, a + 1, #results + 1)
  else
    if pending[KEYS[k + 1]] then
      flush(KEYS[k + 1], results)
    end
    ok, result = pcall(operation[1], k, a + 1, operation[3], operation[4], operation[5])
  end
  if not ok and type(result) == 'table' then
    result = result.err
  end
  results[#results + 1] = ok and result or ('E ' .. tostring(result))
  a = a + 1 + operation[2]
  k = k + 2
end
for i = 1, #pending_order do
  if pending[pending_order[i]] then
    flush(pending_order[i], results)
  end
end
return results
