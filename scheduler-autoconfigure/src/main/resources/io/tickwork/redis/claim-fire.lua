-- Records a fire as claimed unless it already was. ARGV: 1 scheduled (epoch ms), 2 fire window.
-- Returns 1 if recorded.
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then
  return 0
end
local window = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[3]) >= window then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  if tonumber(ARGV[1]) < tonumber(oldest[2]) then
    return 0
  end
end
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(window + 1))
return 1
