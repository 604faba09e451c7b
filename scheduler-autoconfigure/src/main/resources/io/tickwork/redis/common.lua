-- Shared by every Tickwork script. All keys of one job share the hash tag {job}:
-- KEYS[1] lock, KEYS[2] fence, KEYS[3] fires, KEYS[4] paused, KEYS[5] running,
-- KEYS[6] history (ids, newest first), KEYS[7] executions (id -> json), KEYS[8] stats.
-- Times are epoch microseconds from Redis's own clock, never an instance's.

local function now_micros()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local function int(x)
  return string.format('%.0f', x)
end

local function field(json, name)
  local value = string.match(json, '"' .. name .. '":(%-?%d+)')
  return value and tonumber(value)
end

local function status_of(json)
  return string.match(json, '"status":"(%u+)"')
end

-- Returns the lease token stored with a running execution, or nil.
local function running_token(value)
  if not value then
    return nil
  end
  local first = string.find(value, '|', 1, true)
  local second = string.find(value, '|', first + 1, true)
  return string.sub(value, first + 1, second - 1)
end

-- Records an execution, idempotent by id: a finished record replaces the running one, or
-- an ABANDONED guess made by another instance, and is counted in the stats once. An
-- ABANDONED execution counts as failed but adds no duration: its end is only an estimate.
-- max <= 0 means history is off.
local function record(json, max, ttl_ms)
  if max <= 0 then
    return 0
  end
  local id = string.match(json, '"id":"([^"]+)"')
  local status = status_of(json)
  local existing = redis.call('HGET', KEYS[7], id)
  if existing then
    local previous = status_of(existing)
    if previous == 'ABANDONED' and status ~= 'RUNNING' and status ~= 'ABANDONED' then
      redis.call('HINCRBY', KEYS[8], 'total', -1)
      redis.call('HINCRBY', KEYS[8], 'failed', -1)
    elseif previous ~= 'RUNNING' then
      return 0
    end
  else
    redis.call('LPUSH', KEYS[6], id)
    local excess = redis.call('LRANGE', KEYS[6], max, -1)
    if #excess > 0 then
      redis.call('LTRIM', KEYS[6], 0, max - 1)
      redis.call('HDEL', KEYS[7], unpack(excess))
    end
  end
  redis.call('HSET', KEYS[7], id, json)
  redis.call('PEXPIRE', KEYS[6], ttl_ms)
  redis.call('PEXPIRE', KEYS[7], ttl_ms)
  if status == 'RUNNING' then
    return 1
  end
  redis.call('HINCRBY', KEYS[8], 'total', 1)
  if status == 'SKIPPED' then
    redis.call('HINCRBY', KEYS[8], 'skipped', 1)
    return 1
  end
  local finished = field(json, 'finished')
  if status ~= 'ABANDONED' then
    local duration = finished - field(json, 'started')
    redis.call('HINCRBY', KEYS[8], 'runs', 1)
    redis.call('HINCRBY', KEYS[8], 'totalMicros', int(duration))
    local min = redis.call('HGET', KEYS[8], 'minMicros')
    if not min or duration < tonumber(min) then
      redis.call('HSET', KEYS[8], 'minMicros', int(duration))
    end
    local max_duration = redis.call('HGET', KEYS[8], 'maxMicros')
    if not max_duration or duration > tonumber(max_duration) then
      redis.call('HSET', KEYS[8], 'maxMicros', int(duration))
    end
  end
  if status == 'SUCCEEDED' then
    redis.call('HINCRBY', KEYS[8], 'succeeded', 1)
    local last = redis.call('HGET', KEYS[8], 'lastSuccess')
    if not last or finished >= tonumber(last) then
      redis.call('HSET', KEYS[8], 'lastSuccess', int(finished))
    end
  else
    redis.call('HINCRBY', KEYS[8], 'failed', 1)
    local last = redis.call('HGET', KEYS[8], 'lastFailure')
    if not last or finished >= tonumber(last) then
      redis.call('HSET', KEYS[8], 'lastFailure', int(finished))
      local error = string.match(json, '"error":"(.-)","instance"')
      redis.call('HSET', KEYS[8], 'lastError', error or '')
    end
  end
  return 1
end

-- Records as ABANDONED every running execution whose lease expired without release: its
-- instance died or lost Redis for longer than the lock's time to live.
local function reap(now, max, ttl_ms)
  local entries = redis.call('HGETALL', KEYS[5])
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
      redis.call('HDEL', KEYS[5], entries[i])
      record(json, max, ttl_ms)
    end
  end
end
