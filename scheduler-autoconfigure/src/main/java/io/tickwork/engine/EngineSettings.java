package io.tickwork.engine;

import java.time.Duration;

/**
 * The engine's settings, checked once by the builder and shared by its rooms.
 *
 * @param instanceId identifier of this instance, as recorded in executions
 * @param tickInterval longest time the ticker sleeps
 * @param misfireThreshold how late a fire may be found before the misfire policy applies
 * @param shutdownTimeout how long a stop waits for running executions
 * @param lockTtl time to live of a fire's lock
 * @param startLeadNanos how early fires are handed out
 */
record EngineSettings(String instanceId, Duration tickInterval, Duration misfireThreshold, Duration shutdownTimeout,
		Duration lockTtl, long startLeadNanos) {

	private static final Duration MAX_START_LEAD = Duration.ofMillis(10);

	/** Checks the builder's values and makes the settings. */
	static EngineSettings checked(String instanceId, Duration tickInterval, Duration misfireThreshold,
			Duration shutdownTimeout, Duration lockTtl, Duration startLead) {
		if (startLead == null || startLead.isNegative() || startLead.compareTo(MAX_START_LEAD) > 0) {
			throw new IllegalArgumentException("startLead must be between 0 and " + MAX_START_LEAD + ", was "
					+ startLead);
		}
		return new EngineSettings(instanceId, positive(tickInterval, "tickInterval"),
				positive(misfireThreshold, "misfireThreshold"), shutdownTimeout, positive(lockTtl, "lockTtl"),
				startLead.toNanos());
	}

	private static Duration positive(Duration duration, String name) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
		return duration;
	}

	/** How often a held lock is renewed: a third of its time to live. */
	Duration renewalInterval() {
		return this.lockTtl.dividedBy(3);
	}

}
