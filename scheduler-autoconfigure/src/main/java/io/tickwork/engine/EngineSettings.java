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

	/** How often a held lock is renewed: a third of its time to live. */
	Duration renewalInterval() {
		return this.lockTtl.dividedBy(3);
	}

}
