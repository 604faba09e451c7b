package io.tickwork;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts and durations of a job's executions, kept by the history store. Immutable.
 *
 * @param total number of finished executions, skipped ones included
 * @param succeeded number of {@link ExecutionStatus#SUCCEEDED} executions
 * @param failed number of executions that ended in {@link ExecutionStatus#FAILED},
 * {@link ExecutionStatus#TIMED_OUT}, {@link ExecutionStatus#INTERRUPTED} or
 * {@link ExecutionStatus#ABANDONED}
 * @param skipped number of {@link ExecutionStatus#SKIPPED} fires
 * @param lastSuccess end of the last successful execution, or {@code null}
 * @param lastFailure end of the last failed execution, or {@code null}
 * @param lastError error message of the last failed execution, or {@code null}
 * @param minDuration shortest run, or {@code null} if none ran
 * @param avgDuration mean run duration, or {@code null} if none ran
 * @param maxDuration longest run, or {@code null} if none ran
 * @author Tickwork team
 * @since 0.1.0
 */
public record JobStats(long total, long succeeded, long failed, long skipped, Instant lastSuccess, Instant lastFailure,
		String lastError, Duration minDuration, Duration avgDuration, Duration maxDuration) {

	/**
	 * Statistics of a job that has no finished execution.
	 */
	public static final JobStats EMPTY = new JobStats(0, 0, 0, 0, null, null, null, null, null, null);

	/**
	 * The share of runs that failed: failed (with timed out, interrupted and abandoned)
	 * over succeeded plus failed; skipped fires do not count.
	 * @return the rate, from 0 to 1; 0 when nothing ran
	 * @since 0.1.0
	 */
	public double failureRate() {
		long runs = this.succeeded + this.failed;
		return (runs > 0) ? (double) this.failed / runs : 0;
	}

}
