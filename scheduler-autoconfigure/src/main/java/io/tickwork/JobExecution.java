package io.tickwork;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One execution of a job: a fire that ran (with all its attempts) or was skipped.
 * Immutable and thread-safe.
 *
 * @param id unique identifier of the execution
 * @param job name of the job
 * @param scheduledTime time the fire was scheduled for
 * @param startedAt time the execution started, or was skipped
 * @param finishedAt time the execution ended, {@code null} while it runs
 * @param status the status
 * @param attempts number of attempts made, {@code 0} when skipped
 * @param errorMessage error of the last failed attempt, the reason of a skip, or
 * {@code null}
 * @param instanceId identifier of the instance that ran or skipped the fire
 * @param fencingToken fencing token of the fire's lock, {@code 0} if none
 * @param trigger what started the execution
 * @author Tickwork team
 * @since 0.1.0
 */
public record JobExecution(String id, String job, Instant scheduledTime, Instant startedAt, Instant finishedAt,
		ExecutionStatus status, int attempts, String errorMessage, String instanceId, long fencingToken,
		Trigger trigger) {

	/**
	 * Checks the required components.
	 */
	public JobExecution {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(job, "job must not be null");
		Objects.requireNonNull(scheduledTime, "scheduledTime must not be null");
		Objects.requireNonNull(startedAt, "startedAt must not be null");
		Objects.requireNonNull(status, "status must not be null");
		Objects.requireNonNull(trigger, "trigger must not be null");
	}

	/**
	 * Time from start to end, {@code null} while the execution runs.
	 * @return the duration
	 */
	public Duration duration() {
		return (this.finishedAt != null) ? Duration.between(this.startedAt, this.finishedAt) : null;
	}

	/**
	 * Time from the scheduled time to the start; negative if an instance's clock ran
	 * ahead.
	 * @return the lateness
	 */
	public Duration lateness() {
		return Duration.between(this.scheduledTime, this.startedAt);
	}

	/**
	 * Returns this execution ended with the given outcome.
	 * @param status the final status
	 * @param finishedAt the end time
	 * @param attempts the number of attempts made
	 * @param errorMessage the error or reason, or {@code null}
	 * @return the finished execution
	 */
	public JobExecution finish(ExecutionStatus status, Instant finishedAt, int attempts, String errorMessage) {
		return new JobExecution(this.id, this.job, this.scheduledTime, this.startedAt, finishedAt, status, attempts,
				errorMessage, this.instanceId, this.fencingToken, this.trigger);
	}

	/**
	 * What started an execution.
	 *
	 * @since 0.1.0
	 */
	public enum Trigger {

		/**
		 * The job's schedule.
		 */
		SCHEDULE,

		/**
		 * A request through {@link JobScheduler#trigger(String)} or the endpoint.
		 */
		MANUAL,

		/**
		 * A fire found late and run by the job's {@link Misfire} policy.
		 */
		MISFIRE

	}

}
