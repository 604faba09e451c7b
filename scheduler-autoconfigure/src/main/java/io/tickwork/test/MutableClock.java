package io.tickwork.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand, for an engine built with
 * {@code TickworkEngineBuilder.clock(clock).ticker(false)}: move it, then call
 * {@code TickworkEngine.tick()} to run what became due. Thread-safe; clocks made by
 * {@link #withZone(ZoneId)} share its time.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> now;

	private final ZoneId zone;

	/**
	 * Creates a clock in UTC.
	 * @param start the time it shows until moved
	 */
	public MutableClock(Instant start) {
		this(new AtomicReference<>(Objects.requireNonNull(start, "start must not be null")), ZoneOffset.UTC);
	}

	private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
		this.now = now;
		this.zone = zone;
	}

	/**
	 * Moves the clock forward (or back, for a negative duration).
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		Objects.requireNonNull(duration, "duration must not be null");
		this.now.updateAndGet((instant) -> instant.plus(duration));
	}

	/**
	 * Sets the clock.
	 * @param instant the time it shows from now on
	 */
	public void set(Instant instant) {
		this.now.set(Objects.requireNonNull(instant, "instant must not be null"));
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return new MutableClock(this.now, Objects.requireNonNull(zone, "zone must not be null"));
	}

}
