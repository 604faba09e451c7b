package io.tickwork.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Fires a fixed delay after the previous execution ended. Immutable and thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
final class FixedDelaySchedule implements Schedule {

	private final Duration delay;

	FixedDelaySchedule(Duration delay) {
		this.delay = Durations.checkPositive(delay, "delay");
	}

	@Override
	public Optional<Instant> next(Instant after) {
		return Optional.of(after.plus(this.delay));
	}

	@Override
	public Optional<Instant> first(Instant now) {
		return Optional.of(now);
	}

	@Override
	public boolean fromCompletion() {
		return true;
	}

	@Override
	public boolean equals(Object obj) {
		return (this == obj) || (obj instanceof FixedDelaySchedule other && this.delay.equals(other.delay));
	}

	@Override
	public int hashCode() {
		return this.delay.hashCode();
	}

	@Override
	public String toString() {
		return "every " + Durations.format(this.delay) + " after completion";
	}

}
