package io.tickwork.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires at every multiple of an interval since the epoch, shifted by a phase. Without an
 * explicit phase, a job takes one derived from its name ({@link #forJob(String)}), the
 * same on every instance, so that jobs sharing an interval are spread over it instead of
 * all firing in the same instant. Immutable and thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
final class IntervalSchedule implements Schedule {

	private final Duration interval;

	private final Duration phase;

	private final long millis;

	private final long phaseMillis;

	IntervalSchedule(Duration interval, Duration phase) {
		this.interval = Durations.checkPositive(interval, "interval");
		this.millis = interval.toMillis();
		if (phase != null && (phase.isNegative() || phase.toMillis() >= this.millis)) {
			throw new IllegalArgumentException(
					"phase must be at least 0 and below the interval (" + interval + "), was " + phase);
		}
		this.phase = phase;
		this.phaseMillis = (phase != null) ? phase.toMillis() : 0;
	}

	@Override
	public Optional<Instant> next(Instant after) {
		long now = after.toEpochMilli() - this.phaseMillis;
		return Optional.of(Instant.ofEpochMilli(Math.floorDiv(now, this.millis) * this.millis + this.millis
				+ this.phaseMillis));
	}

	@Override
	public Schedule forJob(String jobName) {
		if (this.phase != null) {
			return this;
		}
		long hash = Objects.requireNonNull(jobName, "jobName must not be null").hashCode() * 0x9E3779B97F4A7C15L;
		hash ^= hash >>> 29;
		return new IntervalSchedule(this.interval, Duration.ofMillis(Math.floorMod(hash, this.millis)));
	}

	@Override
	public boolean equals(Object obj) {
		return (this == obj) || (obj instanceof IntervalSchedule other && this.millis == other.millis
				&& Objects.equals(this.phase, other.phase));
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.millis) * 31 + Objects.hashCode(this.phase);
	}

	@Override
	public String toString() {
		return "every " + Durations.format(this.interval);
	}

}
