package io.tickwork;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param errorMessage error of the last failed attempt; for a skip, its reason's
 * {@linkplain SkipReason#tag() tag} and any detail ({@code locked: held by worker-2}),
 * which {@link #skipReason()} and {@link #skipDetail()} read apart; or {@code null}
 * @param instanceId identifier of the instance that ran or skipped the fire
 * @param fencingToken fencing token of the fire's lock, {@code 0} if none
 * @param trigger what started the execution
 * @param metadata what the job kept with the execution through
 * {@link JobContext#put(String, Object)}, in the order it was put; empty if nothing
 * @author Tickwork team
 * @since 0.1.0
 */
public record JobExecution(String id, String job, Instant scheduledTime, Instant startedAt, Instant finishedAt,
		ExecutionStatus status, int attempts, String errorMessage, String instanceId, long fencingToken,
		Trigger trigger, Map<String, String> metadata) {

	/**
	 * Most keys of an execution's {@link #metadata()}.
	 * @since 0.1.0
	 */
	public static final int METADATA_MAX_KEYS = 16;

	/**
	 * Longest key of an execution's {@link #metadata()}.
	 * @since 0.1.0
	 */
	public static final int METADATA_MAX_KEY_LENGTH = 64;

	/**
	 * Longest value of an execution's {@link #metadata()}; longer ones are cut.
	 * @since 0.1.0
	 */
	public static final int METADATA_MAX_VALUE_LENGTH = 1024;

	/**
	 * An execution without metadata.
	 * @param id unique identifier of the execution
	 * @param job name of the job
	 * @param scheduledTime time the fire was scheduled for
	 * @param startedAt time the execution started, or was skipped
	 * @param finishedAt time the execution ended, {@code null} while it runs
	 * @param status the status
	 * @param attempts number of attempts made
	 * @param errorMessage error or skip reason, or {@code null}
	 * @param instanceId identifier of the instance that ran or skipped the fire
	 * @param fencingToken fencing token of the fire's lock, {@code 0} if none
	 * @param trigger what started the execution
	 */
	public JobExecution(String id, String job, Instant scheduledTime, Instant startedAt, Instant finishedAt,
			ExecutionStatus status, int attempts, String errorMessage, String instanceId, long fencingToken,
			Trigger trigger) {
		this(id, job, scheduledTime, startedAt, finishedAt, status, attempts, errorMessage, instanceId, fencingToken,
				trigger, Map.of());
	}

	/**
	 * Checks the required components.
	 */
	public JobExecution {
		metadata = (metadata != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(metadata)) : Map.of();
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
	 * Why this fire was skipped.
	 * @return the reason, or {@code null} unless the status is
	 * {@link ExecutionStatus#SKIPPED}
	 * @since 0.1.0
	 */
	public SkipReason skipReason() {
		if (this.status != ExecutionStatus.SKIPPED || this.errorMessage == null) {
			return null;
		}
		String tag = skipText(0);
		for (SkipReason reason : SkipReason.values()) {
			if (reason.tag().equals(tag)) {
				return reason;
			}
		}
		return null;
	}

	/**
	 * What a skip's record says beyond its reason, such as which instance held the lock.
	 * @return the detail, or {@code null} if there is none or this is not a skip
	 * @since 0.1.0
	 */
	public String skipDetail() {
		return (skipReason() != null) ? skipText(1) : null;
	}

	private String skipText(int part) {
		int colon = this.errorMessage.indexOf(": ");
		if (part == 0) {
			return (colon < 0) ? this.errorMessage : this.errorMessage.substring(0, colon);
		}
		return (colon < 0) ? null : this.errorMessage.substring(colon + 2);
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
				errorMessage, this.instanceId, this.fencingToken, this.trigger, this.metadata);
	}

	/**
	 * Returns this execution with the given metadata.
	 * @param metadata the metadata
	 * @return the execution
	 * @since 0.1.0
	 */
	public JobExecution withMetadata(Map<String, String> metadata) {
		return new JobExecution(this.id, this.job, this.scheduledTime, this.startedAt, this.finishedAt, this.status,
				this.attempts, this.errorMessage, this.instanceId, this.fencingToken, this.trigger, metadata);
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
		MISFIRE,

		/**
		 * A job's previous scheduled fire, run when an instance started because no
		 * instance had run it ({@link JobDefinition#runOnStart()}).
		 * @since 0.1.0
		 */
		START,

		/**
		 * A delivery of a queued job ({@link JobQueue}); the execution id is the job id,
		 * {@code #} and the delivery's fencing token, unique to the delivery.
		 * @since 0.2.0
		 */
		QUEUE

	}

}
