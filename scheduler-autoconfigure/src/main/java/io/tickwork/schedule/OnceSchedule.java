package io.tickwork.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires once, at a given instant. Immutable and thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
final class OnceSchedule implements Schedule {

	private final Instant at;

	OnceSchedule(Instant at) {
		this.at = Objects.requireNonNull(at, "at must not be null");
	}

	@Override
	public Optional<Instant> next(Instant after) {
		return this.at.isAfter(after) ? Optional.of(this.at) : Optional.empty();
	}

	@Override
	public Optional<Instant> first(Instant now) {
		return Optional.of(this.at);
	}

	@Override
	public boolean equals(Object obj) {
		return (this == obj) || (obj instanceof OnceSchedule other && this.at.equals(other.at));
	}

	@Override
	public int hashCode() {
		return this.at.hashCode();
	}

	@Override
	public String toString() {
		return "once at " + this.at;
	}

}
