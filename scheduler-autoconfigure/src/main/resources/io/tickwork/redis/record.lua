-- Records an execution. ARGV: 1 execution json, 2 history max per job, 3 history ttl (ms).
return record(ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]))
