package io.tickwork;

import java.time.Instant;
import java.util.Optional;

/**
 * What a running job may know about its execution; declare it as the job method's only
 * parameter to receive it.
 * <p>
 * A job that does not block on interruptible calls should poll {@link #isCancelled()}
 * and return when it turns {@code true}: after a timeout, a shutdown or the loss of the
 * fire's lock, the result of the attempt no longer counts. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface JobContext {

	/**
	 * Name of the job.
	 * @return the job name
	 */
	String jobName();

	/**
	 * Identifier of this execution, shared by all its attempts.
	 * @return the execution id
	 */
	String executionId();

	/**
	 * Id of the queued job this attempt runs ({@link JobQueue}); for a scheduled job,
	 * the execution id.
	 * @return the job id
	 * @since 0.2.0
	 */
	default String jobId() {
		return executionId();
	}

	/**
	 * Time at which this fire was scheduled; for a manual run, the time it was asked
	 * for.
	 * @return the scheduled time
	 */
	Instant scheduledTime();

	/**
	 * Number of the current attempt, starting at 1.
	 * @return the attempt number
	 */
	int attempt();

	/**
	 * Fencing token of the fire's lock: it grows with every claim of this job, so a
	 * resource that remembers the highest token it saw can refuse writes from an
	 * execution that lost its lock. {@code 0} when the lock does not issue tokens.
	 * @return the fencing token
	 */
	long fencingToken();

	/**
	 * What started this execution.
	 * @return the trigger
	 */
	JobExecution.Trigger trigger();

	/**
	 * Time at which the current attempt times out, if the job has a timeout.
	 * @return the deadline of this attempt
	 */
	Optional<Instant> deadline();

	/**
	 * Whether this attempt has been cancelled (timeout, shutdown or lock lost). The
	 * job's thread is interrupted at the same time.
	 * @return whether the job should stop
	 */
	boolean isCancelled();

	/**
	 * Keeps a fact about this execution with its record, such as how many rows it
	 * wrote: shown in the history and the {@code jobs} endpoint under {@code metadata}.
	 * Values are kept as text ({@link String#valueOf(Object)}); a later put of the same
	 * key replaces the value, across attempts too.
	 * @param key the key, 1 to {@value JobExecution#METADATA_MAX_KEY_LENGTH} characters
	 * @param value the value; text beyond {@value JobExecution#METADATA_MAX_VALUE_LENGTH}
	 * characters is cut
	 * @throws IllegalArgumentException for an empty or too long key
	 * @throws IllegalStateException if the execution already keeps
	 * {@value JobExecution#METADATA_MAX_KEYS} other keys
	 * @since 0.1.0
	 */
	default void put(String key, Object value) {
		throw new UnsupportedOperationException("This JobContext keeps no metadata");
	}

}
