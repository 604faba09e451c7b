-- Releases a lease only for its own token and records the finished execution, in one round trip.
-- ARGV: 1 token, 2 exclusive (1/0), 3 execution id, 4 finished execution json,
-- 5 history max per job (0 = do not record), 6 history ttl (ms).
-- Returns 1 if the lease was still held.
local running = redis.call('HGET', KEYS[5], ARGV[3])
local token = running_token(running)
if token and token ~= ARGV[1] then
  return 0
end
local held = 0
if token then
  redis.call('HDEL', KEYS[5], ARGV[3])
  held = 1
end
if ARGV[2] == '1' then
  if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('DEL', KEYS[1])
  else
    held = 0
  end
end
record(ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
return held
