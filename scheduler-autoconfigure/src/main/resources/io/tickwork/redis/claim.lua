-- Claims one fire in one round trip.
-- ARGV: 1 scheduled (epoch ms), 2 check fire and pause (1/0), 3 exclusive (1/0), 4 ttl (ms),
-- 5 lock token, 6 execution id, 7 running execution json ("fencing":0), 8 fire window,
-- 9 history max per job (0 = do not record), 10 history ttl (ms).
-- Returns 'A <fencing> <redis time micros>', 'C' (already claimed), 'P' (paused), 'L' (locked).
local now = now_micros()
local max = tonumber(ARGV[9])
local ttl = tonumber(ARGV[10])
reap(now, max, ttl)
if ARGV[2] == '1' then
  if redis.call('ZSCORE', KEYS[3], ARGV[1]) then
    return 'C'
  end
  local window = tonumber(ARGV[8])
  if redis.call('ZCARD', KEYS[3]) >= window then
    local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
    if tonumber(ARGV[1]) < tonumber(oldest[2]) then
      return 'C'
    end
  end
  redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(window + 1))
  if redis.call('EXISTS', KEYS[4]) == 1 then
    return 'P'
  end
end
if ARGV[3] == '1' then
  if not redis.call('SET', KEYS[1], ARGV[5], 'NX', 'PX', ARGV[4]) then
    return 'L'
  end
end
local fencing = redis.call('INCR', KEYS[2])
local json = string.gsub(ARGV[7], '"fencing":0,', '"fencing":' .. fencing .. ',', 1)
redis.call('HSET', KEYS[5], ARGV[6], int(now + tonumber(ARGV[4]) * 1000) .. '|' .. ARGV[5] .. '|' .. json)
record(json, max, ttl)
return 'A ' .. fencing .. ' ' .. int(now)
