package io.tickwork.history;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tickwork.JobExecution;
import io.tickwork.JobStats;

/**
 * Keeps the executions of every job, newest first, capped per job, and their
 * statistics.
 * <p>
 * Recording is idempotent by execution id: recording a finished execution replaces its
 * running record, or an {@link io.tickwork.ExecutionStatus#ABANDONED} guess made by
 * another instance, and statistics count each execution once. Implementations
 * must be thread-safe; methods throw an unchecked exception when the store cannot be
 * reached.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface JobHistory {

	/**
	 * A history that keeps nothing.
	 */
	JobHistory NONE = new JobHistory() {

		@Override
		public void record(JobExecution execution) {
		}

		@Override
		public List<JobExecution> recent(String job, int limit) {
			return List.of();
		}

		@Override
		public JobStats stats(String job) {
			return JobStats.EMPTY;
		}

	};

	/**
	 * Records an execution, or replaces the record with the same id.
	 * @param execution the execution
	 */
	void record(JobExecution execution);

	/**
	 * Records an execution without making the caller wait for a remote store, which
	 * keeps what it cannot write yet for later; the engine records this way, so that a
	 * store node that does not answer holds up no worker. The default records at once.
	 * @param execution the execution
	 * @since 0.1.0
	 */
	default void recordWithoutWaiting(JobExecution execution) {
		record(execution);
	}

	/**
	 * Recent executions of a job.
	 * @param job the job name
	 * @param limit the maximum number of executions
	 * @return the executions, newest first
	 */
	List<JobExecution> recent(String job, int limit);

	/**
	 * Reads a job's recent executions without making the caller wait for the store: a
	 * store that sends requests together answers many reads in one round trip. The future
	 * must complete, or fail when the store cannot answer. The default reads at once.
	 * @param job the job name
	 * @param limit the maximum number of executions
	 * @return the executions, newest first
	 * @since 0.2.0
	 */
	default CompletableFuture<List<JobExecution>> recentAsync(String job, int limit) {
		try {
			return CompletableFuture.completedFuture(recent(job, limit));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Statistics of a job's finished executions.
	 * @param job the job name
	 * @return the statistics, {@link JobStats#EMPTY} if none
	 */
	JobStats stats(String job);

}
