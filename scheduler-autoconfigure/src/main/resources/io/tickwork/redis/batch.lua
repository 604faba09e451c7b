-- Runs a batch of operations in one round trip; each operation touches the keys of one job.
-- KEYS: 7 per operation, in order: 1 lock, 2 fence, 3 fires, 4 paused, 5 running, 6 history, 7 stats.
-- ARGV: 1 history max per job, 2 history ttl (ms), 3 fire window, then per operation its kind
-- and its arguments (see the functions below). Returns one string per operation; an operation
-- that fails answers 'E <error>' without failing the others.
-- Times are epoch microseconds from Redis's own clock, never an instance's.
-- running: execution id -> '<lease expiry>|<token>|<json>'; history: a capped list of execution
-- json, newest first; stats: counters and extremes of finished executions.

local max = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local function int(x)
  return string.format('%.0f', x)
end

local function status_of(json)
  return string.match(json, '"status":"(%u+)"')
end

-- The lease token stored with a running execution, or nil.
local function running_token(value)
  if not value then
    return nil
  end
  local first = string.find(value, '|', 1, true)
  local second = string.find(value, '|', first + 1, true)
  return string.sub(value, first + 1, second - 1)
end

local STATS = { 'total', 'succeeded', 'failed', 'skipped', 'runs', 'totalMicros', 'minMicros', 'maxMicros',
  'lastSuccess', 'lastFailure' }

-- Counts a finished execution; undo first takes back the ABANDONED guess it replaces. An
-- ABANDONED execution counts as failed but adds no duration: its end is only an estimate.
local function count(k, status, started, finished, json, undo)
  local s = redis.call('HMGET', KEYS[k + 7], unpack(STATS))
  local v = {}
  for i = 1, #STATS do
    v[i] = tonumber(s[i])
  end
  local total, succeeded, failed, skipped, runs, sum = v[1] or 0, v[2] or 0, v[3] or 0, v[4] or 0, v[5] or 0, v[6] or 0
  if undo then
    total = total - 1
    failed = failed - 1
  end
  local out = { 'total', int(total + 1) }
  if status == 'SKIPPED' then
    out[#out + 1] = 'skipped'
    out[#out + 1] = int(skipped + 1)
    if undo then
      out[#out + 1] = 'failed'
      out[#out + 1] = int(failed)
    end
    redis.call('HSET', KEYS[k + 7], unpack(out))
    return
  end
  if status ~= 'ABANDONED' then
    local duration = finished - started
    out[#out + 1] = 'runs'
    out[#out + 1] = int(runs + 1)
    out[#out + 1] = 'totalMicros'
    out[#out + 1] = int(sum + duration)
    if not v[7] or duration < v[7] then
      out[#out + 1] = 'minMicros'
      out[#out + 1] = int(duration)
    end
    if not v[8] or duration > v[8] then
      out[#out + 1] = 'maxMicros'
      out[#out + 1] = int(duration)
    end
  end
  if status == 'SUCCEEDED' then
    out[#out + 1] = 'succeeded'
    out[#out + 1] = int(succeeded + 1)
    if undo then
      out[#out + 1] = 'failed'
      out[#out + 1] = int(failed)
    end
    if not v[9] or finished >= v[9] then
      out[#out + 1] = 'lastSuccess'
      out[#out + 1] = int(finished)
    end
  else
    out[#out + 1] = 'failed'
    out[#out + 1] = int(failed + 1)
    if not v[10] or finished >= v[10] then
      out[#out + 1] = 'lastFailure'
      out[#out + 1] = int(finished)
      out[#out + 1] = 'lastError'
      out[#out + 1] = string.match(json, '"error":"(.-)","instance"') or ''
    end
  end
  redis.call('HSET', KEYS[k + 7], unpack(out))
end

-- Records an execution at most once per id: a finished record replaces a running one, or an
-- ABANDONED guess made by another instance. fresh: the caller knows that the id was never
-- recorded (its running entry was still there), which spares the look-up.
local function record(k, status, started, finished, json, fresh)
  if max <= 0 then
    return '0'
  end
  local history = KEYS[k + 6]
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
    redis.call('LPUSH', history, json)
    redis.call('LTRIM', history, 0, max - 1)
  end
  redis.call('PEXPIRE', history, ttl)
  if status ~= 'RUNNING' then
    count(k, status, started, finished, json, undo)
  end
  return '1'
end

-- Records as ABANDONED every running execution whose lease expired without release: its
-- instance died or lost Redis for longer than the lock's time to live.
local function reap(k, history)
  local entries = redis.call('HGETALL', KEYS[k + 5])
  for i = 1, #entries, 2 do
    local value = entries[i + 1]
    local first = string.find(value, '|', 1, true)
    local expires = tonumber(string.sub(value, 1, first - 1))
    if expires < now then
      local second = string.find(value, '|', first + 1, true)
      local json = string.sub(value, second + 1)
      json = string.gsub(json, '"status":"RUNNING"', '"status":"ABANDONED"', 1)
      json = string.gsub(json, '"finished":null', '"finished":' .. int(expires), 1)
      json = string.gsub(json, '"error":null',
        '"error":"abandoned: its instance stopped renewing the lock before the execution ended"', 1)
      redis.call('HDEL', KEYS[k + 5], entries[i])
      if history then
        record(k, 'ABANDONED', 0, expires, json, false)
      end
    end
  end
end

-- Remembers a fire as claimed unless it already was, or is older than every remembered one.
local function take_fire(k, scheduled)
  if redis.call('ZADD', KEYS[k + 3], 'NX', scheduled, scheduled) == 0 then
    return false
  end
  if redis.call('ZREMRANGEBYRANK', KEYS[k + 3], 0, -(window + 1)) > 0 then
    return redis.call('ZSCORE', KEYS[k + 3], scheduled) ~= false
  end
  return true
end

-- c: claims a fire. 1 scheduled (epoch ms), 2 check fire and pause (1/0), 3 exclusive (1/0),
-- 4 lock ttl (ms), 5 token, 6 execution id, 7 and 8 the running execution's json before and
-- after its fencing token, 9 record history (1/0).
-- Answers 'A <fencing>', 'C' (already claimed), 'P' (paused) or 'L' (locked).
local function claim(k, a)
  reap(k, ARGV[a + 8] == '1')
  if ARGV[a + 1] == '1' then
    if not take_fire(k, ARGV[a]) then
      return 'C'
    end
    if redis.call('EXISTS', KEYS[k + 4]) == 1 then
      return 'P'
    end
  end
  if ARGV[a + 2] == '1' and not redis.call('SET', KEYS[k + 1], ARGV[a + 4], 'NX', 'PX', ARGV[a + 3]) then
    return 'L'
  end
  local fencing = redis.call('INCR', KEYS[k + 2])
  redis.call('HSET', KEYS[k + 5], ARGV[a + 5], int(now + tonumber(ARGV[a + 3]) * 1000) .. '|' .. ARGV[a + 4] .. '|'
    .. ARGV[a + 6] .. fencing .. ARGV[a + 7])
  return 'A ' .. fencing
end

-- x: extends a lease, only for its own token. 1 token, 2 exclusive (1/0), 3 execution id,
-- 4 ttl (ms). Answers '1' if the lease was still held.
local function extend(k, a)
  local value = redis.call('HGET', KEYS[k + 5], ARGV[a + 2])
  if running_token(value) ~= ARGV[a] then
    return '0'
  end
  if ARGV[a + 1] == '1' then
    if redis.call('GET', KEYS[k + 1]) ~= ARGV[a] then
      return '0'
    end
    redis.call('PEXPIRE', KEYS[k + 1], ARGV[a + 3])
  end
  local first = string.find(value, '|', 1, true)
  redis.call('HSET', KEYS[k + 5], ARGV[a + 2], int(now + tonumber(ARGV[a + 3]) * 1000) .. string.sub(value, first))
  return '1'
end

-- r: releases a lease, only for its own token, and records the finished execution.
-- 1 token, 2 exclusive (1/0), 3 execution id, 4 record history (1/0), 5 status,
-- 6 started, 7 finished, 8 json. Answers '1' if the lease was still held.
local function release(k, a)
  local token = running_token(redis.call('HGET', KEYS[k + 5], ARGV[a + 2]))
  if token and token ~= ARGV[a] then
    return '0'
  end
  local held = '0'
  if token then
    redis.call('HDEL', KEYS[k + 5], ARGV[a + 2])
    held = '1'
  end
  if ARGV[a + 1] == '1' then
    if redis.call('GET', KEYS[k + 1]) == ARGV[a] then
      redis.call('DEL', KEYS[k + 1])
    else
      held = '0'
    end
  end
  if ARGV[a + 3] == '1' then
    record(k, ARGV[a + 4], tonumber(ARGV[a + 5]), tonumber(ARGV[a + 6]), ARGV[a + 7], token ~= nil)
  end
  return held
end

-- w: records an execution. 1 status, 2 started, 3 finished (empty while running), 4 json.
local function write(k, a)
  return record(k, ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), ARGV[a + 3], false)
end

-- p: records expired running executions as ABANDONED.
local function reap_expired(k, a)
  reap(k, true)
  return '1'
end

-- f: remembers a fire as claimed. 1 scheduled (epoch ms). Answers '1' if it was not yet.
local function claim_fire(k, a)
  return take_fire(k, ARGV[a]) and '1' or '0'
end

-- h: reads the latest executions, running ones first. 1 limit. Answers them one a line.
local function read(k, a)
  local lines = {}
  local running = redis.call('HVALS', KEYS[k + 5])
  for i = 1, #running do
    local first = string.find(running[i], '|', 1, true)
    lines[#lines + 1] = string.sub(running[i], string.find(running[i], '|', first + 1, true) + 1)
  end
  local finished = redis.call('LRANGE', KEYS[k + 6], 0, tonumber(ARGV[a]) - 1)
  for i = 1, #finished do
    lines[#lines + 1] = finished[i]
  end
  return table.concat(lines, '\n')
end

local operations = {
  c = { claim, 9 }, x = { extend, 4 }, r = { release, 8 }, w = { write, 4 }, p = { reap_expired, 0 },
  f = { claim_fire, 1 }, h = { read, 1 }
}

local results = {}
local a = 4
local k = 0
while a <= #ARGV do
  local operation = operations[ARGV[a]]
  local ok, result = pcall(operation[1], k, a + 1)
  if not ok and type(result) == 'table' then
    result = result.err
  end
  results[#results + 1] = ok and result or ('E ' .. tostring(result))
  a = a + 1 + operation[2]
  k = k + 7
end
return results
