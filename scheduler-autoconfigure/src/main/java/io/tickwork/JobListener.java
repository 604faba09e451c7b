package io.tickwork;

import java.time.Duration;
import java.time.Instant;

/**
 * Callback for the moments of a job's executions; every method does nothing by default.
 * <p>
 * Listeners are called on the engine's threads: they must be quick and thread-safe.
 * What a listener throws is logged and otherwise ignored.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface JobListener {

	/**
	 * A listener that does nothing.
	 */
	JobListener NO_OP = new JobListener() {
	};

	/**
	 * This instance tried to claim a fire; called for every attempt, including those that
	 * find the fire already claimed by another instance (which nothing else reports).
	 * @param job the job name
	 * @param scheduledTime the fire's scheduled time
	 * @param outcome what the claim came to
	 */
	default void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
	}

	/**
	 * An execution claimed its fire and is about to run its first attempt.
	 * @param execution the running execution
	 */
	default void onStarted(JobExecution execution) {
	}

	/**
	 * An attempt failed and another one will run after a delay.
	 * @param execution the running execution; {@code attempts} is the failed attempt
	 * @param error what the failed attempt threw
	 * @param delay the delay before the next attempt
	 */
	default void onRetrying(JobExecution execution, Throwable error, Duration delay) {
	}

	/**
	 * An execution succeeded.
	 * @param execution the finished execution
	 */
	default void onSucceeded(JobExecution execution) {
	}

	/**
	 * An execution failed after its last attempt.
	 * @param execution the finished execution
	 * @param error what the last attempt threw
	 */
	default void onFailed(JobExecution execution, Throwable error) {
	}

	/**
	 * An execution's last attempt ran past the timeout.
	 * @param execution the finished execution
	 */
	default void onTimedOut(JobExecution execution) {
	}

	/**
	 * An execution was stopped by shutdown or the loss of its lock.
	 * @param execution the finished execution
	 */
	default void onInterrupted(JobExecution execution) {
	}

	/**
	 * A fire was not run.
	 * @param execution the skipped execution
	 * @param reason why it was skipped
	 */
	default void onSkipped(JobExecution execution, SkipReason reason) {
	}

}
