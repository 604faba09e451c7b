-- Records expired running executions as ABANDONED. ARGV: 1 history max per job, 2 history ttl (ms).
reap(now_micros(), tonumber(ARGV[1]), tonumber(ARGV[2]))
return 1
