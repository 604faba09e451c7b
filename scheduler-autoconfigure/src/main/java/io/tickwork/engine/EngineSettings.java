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
 * @param standbyNanos how late a job on standby is handed its fires, at most half the
 * misfire threshold
 * @param standbyMaxNanos the longest time between two questions about a job on standby:
 * at least {@code standbyNanos}, otherwise at most half the misfire threshold
 */
record EngineSettings(String instanceId, Duration tickInterval, Duration misfireThreshold, Duration shutdownTimeout,
		Duration lockTtl, long startLeadNanos, long standbyNanos, long standbyMaxNanos) {

	private static final Duration MAX_START_LEAD = Duration.ofMillis(10);

	/** Checks the builder's values and makes the settings. */
	static EngineSettings checked(String instanceId, Duration tickInterval, Duration misfireThreshold,
			Duration shutdownTimeout, Duration lockTtl, Duration startLead, Duration standbyDelay,
			Duration standbyMaxDelay) {
		if (startLead == null || startLead.isNegative() || startLead.compareTo(MAX_START_LEAD) > 0) {
			throw new IllegalArgumentException("startLead must be between 0 and " + MAX_START_LEAD + ", was "
					+ startLead);
		}
		if (standbyDelay == null || standbyDelay.isNegative()) {
			throw new IllegalArgumentException("standbyDelay must be zero or positive, was " + standbyDelay);
		}
		if (standbyMaxDelay == null || standbyMaxDelay.isNegative()) {
			throw new IllegalArgumentException("standbyMaxDelay must be zero or positive, was " + standbyMaxDelay);
		}
		positive(misfireThreshold, "misfireThreshold");
		// a fire asked for that late is not a misfire
		long standbyNanos = Math.min(standbyDelay.toNanos(), misfireThreshold.toNanos() / 2);
		long standbyMaxNanos = Math.max(standbyNanos,
				Math.min(standbyMaxDelay.toNanos(), misfireThreshold.toNanos() / 2));
		return new EngineSettings(instanceId, positive(tickInterval, "tickInterval"), misfireThreshold,
				shutdownTimeout, positive(lockTtl, "lockTtl"), startLead.toNanos(), standbyNanos, standbyMaxNanos);
	}

	/**
	 * How long after an answer a job on standby waits before it asks again, after this
	 * many refusals in a row: the standby delay, doubled with each refusal after the
	 * first, up to the longest.
	 */
	long standbyNanos(int refusals) {
		long nanos = this.standbyNanos;
		for (int i = 1; i < refusals && nanos < this.standbyMaxNanos; i++) {
			nanos *= 2;
		}
		return Math.min(nanos, this.standbyMaxNanos);
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
