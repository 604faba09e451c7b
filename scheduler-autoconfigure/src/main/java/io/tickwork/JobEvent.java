package io.tickwork;

import java.time.Duration;
import java.util.Objects;

/**
 * An application event published for each moment of a job's executions, with the same
 * vocabulary as {@link JobListener}: listen with {@code @EventListener} on this type or
 * on one of its records.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public sealed interface JobEvent {

	/**
	 * The execution the event is about.
	 * @return the execution
	 */
	JobExecution execution();

	/**
	 * An execution claimed its fire and starts its first attempt.
	 *
	 * @param execution the running execution
	 * @since 0.1.0
	 */
	record Started(JobExecution execution) implements JobEvent {

		/**
		 * Checks the execution.
		 */
		public Started {
			Objects.requireNonNull(execution, "execution must not be null");
		}

	}

	/**
	 * An attempt failed and another will run after a delay.
	 *
	 * @param execution the running execution; {@code attempts} is the failed attempt
	 * @param error what the attempt threw
	 * @param delay the delay before the next attempt
	 * @since 0.1.0
	 */
	record Retrying(JobExecution execution, Throwable error, Duration delay) implements JobEvent {
	}

	/**
	 * An execution succeeded.
	 *
	 * @param execution the finished execution
	 * @since 0.1.0
	 */
	record Succeeded(JobExecution execution) implements JobEvent {
	}

	/**
	 * An execution failed after its last attempt.
	 *
	 * @param execution the finished execution
	 * @param error what the last attempt threw
	 * @since 0.1.0
	 */
	record Failed(JobExecution execution, Throwable error) implements JobEvent {
	}

	/**
	 * An execution's last attempt ran past its timeout.
	 *
	 * @param execution the finished execution
	 * @since 0.1.0
	 */
	record TimedOut(JobExecution execution) implements JobEvent {
	}

	/**
	 * An execution was stopped by shutdown or the loss of its lock.
	 *
	 * @param execution the finished execution
	 * @since 0.1.0
	 */
	record Interrupted(JobExecution execution) implements JobEvent {
	}

	/**
	 * A fire was not run.
	 *
	 * @param execution the skipped execution
	 * @param reason why it was skipped
	 * @since 0.1.0
	 */
	record Skipped(JobExecution execution, SkipReason reason) implements JobEvent {
	}

}
