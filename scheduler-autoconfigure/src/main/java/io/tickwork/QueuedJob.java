package io.tickwork;

import java.time.Duration;
import java.time.Instant;

/**
 * A queued job as the store holds it: what it carries and where it stands.
 *
 * @param id the job id, unique within its type
 * @param type the job type
 * @param status where the job stands
 * @param payload the payload as JSON ({@code null} for a {@code null} payload)
 * @param payloadType the Java class name of the payload when it was enqueued, or
 * {@code null}
 * @param priority the priority
 * @param attempts deliveries so far, the running one included
 * @param maxAttempts deliveries allowed, or {@code 0} for the handler's
 * @param timeout timeout of each attempt, or {@code null} for the handler's
 * @param createdAt when it was enqueued
 * @param scheduledAt when it may run next (its delay, or the end of a retry's backoff)
 * @param startedAt when its latest attempt started, or {@code null}
 * @param finishedAt when it ended, or {@code null}
 * @param lastError what its latest failed attempt threw, or {@code null}
 * @param instance the instance that runs or ran its latest attempt, or {@code null}
 * @param fencingToken the fencing token of its latest attempt; it grows with every
 * delivery of any job of the type
 * @author Tickwork team
 * @since 0.2.0
 */
public record QueuedJob(String id, String type, Status status, String payload, String payloadType, int priority,
		int attempts, int maxAttempts, Duration timeout, Instant createdAt, Instant scheduledAt, Instant startedAt, Instant finishedAt,
		String lastError, String instance, long fencingToken) {

	/**
	 * Where a queued job stands.
	 *
	 * @since 0.2.0
	 */
	public enum Status {

		/** Waiting for a worker. */
		READY,

		/** Waiting for its time: a delay, or the backoff before a retry. */
		DELAYED,

		/** Leased by an instance that runs it. */
		RUNNING,

		/** An attempt succeeded. */
		SUCCEEDED,

		/** Its last attempt failed: it is in the dead letter. */
		DEAD,

		/** Cancelled before it ran. */
		CANCELLED;

		/**
		 * Whether the job has ended.
		 * @return {@code true} for succeeded, dead and cancelled jobs
		 */
		public boolean isFinished() {
			return this == SUCCEEDED || this == DEAD || this == CANCELLED;
		}

	}

}
