package io.tickwork.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Fires at every multiple of an interval since the epoch. Immutable and thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
final class IntervalSchedule implements Schedule {

	private final Duration interval;

	private final long millis;

	IntervalSchedule(Duration interval) {
		this.interval = Durations.checkPositive(interval, "interval");
		this.millis = interval.toMillis();
	}

	@Override
	public Optional<Instant> next(Instant after) {
		long now = after.toEpochMilli();
		return Optional.of(Instant.ofEpochMilli(Math.floorDiv(now, this.millis) * this.millis + this.millis));
	}

	@Override
	public boolean equals(Object obj) {
		return (this == obj) || (obj instanceof IntervalSchedule other && this.millis == other.millis);
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.millis);
	}

	@Override
	public String toString() {
		return "every " + Durations.format(this.interval);
	}

}
