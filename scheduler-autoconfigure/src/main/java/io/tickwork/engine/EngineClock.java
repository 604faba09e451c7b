package io.tickwork.engine;

import java.time.Clock;
import java.time.Instant;

/**
 * The engine's time: the instant to the microsecond, which every store keeps exactly,
 * how long until an instant, and new execution ids. Thread-safe.
 */
final class EngineClock {

	private final Clock clock;

	EngineClock(Clock clock) {
		this.clock = clock;
	}

	/** The engine's time, to the microsecond. */
	Instant now() {
		// one Instant made here: the clock's does not escape, where truncatedTo's copy did
		Instant now = this.clock.instant();
		int nanos = now.getNano();
		return Instant.ofEpochSecond(now.getEpochSecond(), nanos - nanos % 1000);
	}

	/** Nanoseconds until an instant, negative once it passed; a day away or more is forever. */
	long nanosUntil(Instant due) {
		// the clock untruncated: one object fewer, and a truncated time is never later
		Instant now = this.clock.instant();
		long seconds = due.getEpochSecond() - now.getEpochSecond();
		if (seconds > 86_400) {
			return Long.MAX_VALUE;
		}
		return seconds * 1_000_000_000L + (due.getNano() - now.getNano());
	}

	String newExecutionId() {
		return ExecutionIds.next(this.clock.millis());
	}

}
