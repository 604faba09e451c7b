package io.tickwork.history;

import java.time.Duration;
import java.time.Instant;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobStats;

/**
 * Running statistics of one job, fed one finished execution at a time. Not thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class StatsAccumulator {

	private long total;

	private long succeeded;

	private long failed;

	private long skipped;

	private Instant lastSuccess;

	private Instant lastFailure;

	private String lastError;

	private long runs;

	private long totalNanos;

	private long minNanos = Long.MAX_VALUE;

	private long maxNanos;

	/**
	 * Counts one finished execution. An {@link ExecutionStatus#ABANDONED} one counts as
	 * failed but adds no duration, since its end is only an estimate.
	 * @param execution the execution; running ones are ignored
	 */
	public void add(JobExecution execution) {
		if (!execution.status().isFinished()) {
			return;
		}
		this.total++;
		if (execution.status() == ExecutionStatus.SKIPPED) {
			this.skipped++;
			return;
		}
		if (execution.status() == ExecutionStatus.ABANDONED) {
			this.failed++;
			if (this.lastFailure == null || !execution.finishedAt().isBefore(this.lastFailure)) {
				this.lastFailure = execution.finishedAt();
				this.lastError = execution.errorMessage();
			}
			return;
		}
		if (execution.status() == ExecutionStatus.SUCCEEDED) {
			this.succeeded++;
			this.lastSuccess = later(this.lastSuccess, execution.finishedAt());
		}
		else {
			this.failed++;
			if (this.lastFailure == null || !execution.finishedAt().isBefore(this.lastFailure)) {
				this.lastFailure = execution.finishedAt();
				this.lastError = execution.errorMessage();
			}
		}
		long nanos = execution.duration().toNanos();
		this.runs++;
		this.totalNanos += nanos;
		this.minNanos = Math.min(this.minNanos, nanos);
		this.maxNanos = Math.max(this.maxNanos, nanos);
	}

	/**
	 * Takes back an {@link ExecutionStatus#ABANDONED} execution that its own instance
	 * reported later with its real outcome.
	 */
	void removeAbandoned() {
		this.total--;
		this.failed--;
	}

	private static Instant later(Instant a, Instant b) {
		return (a == null || b.isAfter(a)) ? b : a;
	}

	/**
	 * The statistics so far.
	 * @return the statistics
	 */
	public JobStats toStats() {
		if (this.total == 0) {
			return JobStats.EMPTY;
		}
		Duration min = (this.runs > 0) ? Duration.ofNanos(this.minNanos) : null;
		Duration avg = (this.runs > 0) ? Duration.ofNanos(this.totalNanos / this.runs) : null;
		Duration max = (this.runs > 0) ? Duration.ofNanos(this.maxNanos) : null;
		return new JobStats(this.total, this.succeeded, this.failed, this.skipped, this.lastSuccess,
				this.lastFailure, this.lastError, min, avg, max);
	}

}
