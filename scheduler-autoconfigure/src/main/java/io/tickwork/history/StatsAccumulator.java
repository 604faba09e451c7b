package io.tickwork.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobStats;

/**
 * Running statistics of one job, fed one finished execution at a time. Not thread-safe.
 * <p>
 * The times of the last success and failure are kept as numbers: an accumulator lives
 * as long as its job, and pointing it at each execution's new {@code Instant} would make
 * every young collection scan it.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class StatsAccumulator {

	private long total;

	private long succeeded;

	private long failed;

	private long skipped;

	/** The last success, epoch seconds and nanos; {@link Long#MIN_VALUE} seconds while none. */
	private long successSeconds = Long.MIN_VALUE;

	private int successNanos;

	/** The last failure, as the last success. */
	private long failureSeconds = Long.MIN_VALUE;

	private int failureNanos;

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
			failedAt(execution);
			return;
		}
		if (execution.status() == ExecutionStatus.SUCCEEDED) {
			this.succeeded++;
			Instant finished = execution.finishedAt();
			if (compare(finished, this.successSeconds, this.successNanos) > 0) {
				this.successSeconds = finished.getEpochSecond();
				this.successNanos = finished.getNano();
			}
		}
		else {
			this.failed++;
			failedAt(execution);
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

	/** Counts a failure as the last one unless an earlier-finished one came late. */
	private void failedAt(JobExecution execution) {
		Instant finished = execution.finishedAt();
		if (compare(finished, this.failureSeconds, this.failureNanos) >= 0) {
			this.failureSeconds = finished.getEpochSecond();
			this.failureNanos = finished.getNano();
			if (!Objects.equals(this.lastError, execution.errorMessage())) {
				this.lastError = execution.errorMessage();
			}
		}
	}

	private static int compare(Instant instant, long seconds, int nanos) {
		if (seconds == Long.MIN_VALUE) {
			return 1;
		}
		int bySeconds = Long.compare(instant.getEpochSecond(), seconds);
		return (bySeconds != 0) ? bySeconds : Integer.compare(instant.getNano(), nanos);
	}

	private static Instant instant(long seconds, int nanos) {
		return (seconds != Long.MIN_VALUE) ? Instant.ofEpochSecond(seconds, nanos) : null;
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
		return new JobStats(this.total, this.succeeded, this.failed, this.skipped,
				instant(this.successSeconds, this.successNanos), instant(this.failureSeconds, this.failureNanos),
				this.lastError, min, avg, max);
	}

}
