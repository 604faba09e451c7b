-- Extends a lease only for its own token. ARGV: 1 token, 2 exclusive (1/0), 3 execution id, 4 ttl (ms).
-- Returns 1 if the lease was still held.
local now = now_micros()
local value = redis.call('HGET', KEYS[5], ARGV[3])
if running_token(value) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '1' then
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
local first = string.find(value, '|', 1, true)
redis.call('HSET', KEYS[5], ARGV[3], int(now + tonumber(ARGV[4]) * 1000) .. string.sub(value, first))
return 1
