#!/usr/bin/env bash
# Redis's CPU per scheduled execution (a won claim, a release and its record) in the batch
# script alone: replays the calls that batch-replay.py writes through `redis-cli --pipe` on a
# Redis of its own and reads EVALSHA's microseconds from INFO commandstats. Compares
# versions of the script, in turns: benchmarks/scripts/batch-replay.sh a.lua [b.lua ...]
# PORT (default 6395) and ROUNDS (default 40: 80,000 executions) may be set; PERF=1 also
# records a perf profile of the last turn in /tmp/batch-replay.perf.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${PORT:-6395}
rounds=${ROUNDS:-40}
for turn in 1 2 3 4; do
	for script in "$@"; do
		redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
		sleep 0.3
		redis-server --port "$port" --save '' --appendonly no --daemonize yes >/dev/null
		sleep 0.3
		redis-cli -p "$port" -x script load < "$script" >/dev/null
		python3 "$here/batch-replay.py" "$script" "$rounds" > /tmp/batch-replay.resp
		redis-cli -p "$port" config resetstat >/dev/null
		profile=
		if [ "${PERF:-0}" = 1 ] && [ "$turn" = 4 ]; then
			perf record -F 5000 -p "$(redis-cli -p "$port" info server | tr -d '\r' | awk -F: '/^process_id/ {print $2}')" \
				-o /tmp/batch-replay.perf >/dev/null 2>&1 &
			profile=$!
			sleep 0.5
		fi
		redis-cli -p "$port" --pipe < /tmp/batch-replay.resp >/dev/null
		[ -n "$profile" ] && kill -INT "$profile" && wait "$profile" || true
		usec=$(redis-cli -p "$port" info commandstats | tr -d '\r' | sed -n 's/^cmdstat_evalsha:calls=[0-9]*,usec=\([0-9]*\),.*/\1/p')
		echo "$script turn $turn: $(echo "$usec $rounds" | awk '{printf "%.2f", $1 / ($2 * 2000)}') us per execution; $(head -1 /proc/pressure/cpu)"
	done
done
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
