#!/usr/bin/env bash
# A/B of two builds of the benchmarks jar on this machine, in turns A B B A, with the
# host's CPU pressure before each turn: the engine figure and the precision figure
# (which measures Spring's ThreadPoolTaskScheduler in the same turn, a control).
# Usage: benchmarks/scripts/ab.sh before.jar after.jar [figures...]   (default: engine precision)
set -euo pipefail
a=$1; b=$2; shift 2
figures=${*:-engine precision}
for turn in A B B A; do
	jar=$a; [ "$turn" = B ] && jar=$b
	for figure in $figures; do
		echo "TURN $turn $figure $(date -u +%H:%M:%S) pressure $(head -1 /proc/pressure/cpu)"
		java -Xmx4g -cp "$jar" io.tickwork.benchmarks.Harness "$figure" | grep -E '^RESULT' | sed "s/^/$turn /"
	done
done
