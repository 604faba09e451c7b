package io.tickwork.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.tickwork.JobExecution.Trigger;

/**
 * What an instance asks of a {@link JobLock} to run one fire of a job.
 *
 * @param job the job name
 * @param scheduledTime the fire's scheduled time
 * @param trigger what started the fire; a {@link Trigger#MANUAL} fire is neither
 * checked against nor recorded as the job's latest fire, and runs even when paused
 * @param exclusive whether the fire needs the job's mutex; {@code false} for jobs that
 * allow overlapping executions
 * @param ttl how long the lock lives unless extended
 * @param instanceId the claiming instance
 * @param executionId the execution the fire will become
 * @param requestedAt the claiming instance's time of the request
 * @param reclaim whether this instance already consumed the fire with an earlier claim
 * that found the lock held (overlap policy WAIT): only the lock is taken now, without
 * the fire and pause checks
 * @param missed for the claim of a fire recorded as standing for missed fires (a
 * misfire), those fires, the claimed one among them; {@code null} for any other claim
 * (since 0.2.0)
 * @author Tickwork team
 * @since 0.1.0
 */
public record ClaimRequest(String job, Instant scheduledTime, Trigger trigger, boolean exclusive, Duration ttl,
		String instanceId, String executionId, Instant requestedAt, boolean reclaim, Missed missed) {

	/**
	 * Checks the components.
	 */
	public ClaimRequest {
		Objects.requireNonNull(job, "job must not be null");
		Objects.requireNonNull(scheduledTime, "scheduledTime must not be null");
		Objects.requireNonNull(trigger, "trigger must not be null");
		Objects.requireNonNull(ttl, "ttl must not be null");
		Objects.requireNonNull(instanceId, "instanceId must not be null");
		Objects.requireNonNull(executionId, "executionId must not be null");
		Objects.requireNonNull(requestedAt, "requestedAt must not be null");
		if (missed != null && (trigger == Trigger.MANUAL || reclaim || scheduledTime.isBefore(missed.first())
				|| scheduledTime.isAfter(missed.last()))) {
			throw new IllegalArgumentException("The missed fires " + missed + " of a claim of job '" + job
					+ "' must hold its fire " + scheduledTime + ", and the claim must check it");
		}
	}

	/**
	 * Creates a request for any claim but that of a fire that stands for missed ones.
	 * @param job the job name
	 * @param scheduledTime the fire's scheduled time
	 * @param trigger what started the fire
	 * @param exclusive whether the fire needs the job's mutex
	 * @param ttl how long the lock lives unless extended
	 * @param instanceId the claiming instance
	 * @param executionId the execution the fire will become
	 * @param requestedAt the claiming instance's time of the request
	 * @param reclaim whether this instance already consumed the fire
	 */
	public ClaimRequest(String job, Instant scheduledTime, Trigger trigger, boolean exclusive, Duration ttl,
			String instanceId, String executionId, Instant requestedAt, boolean reclaim) {
		this(job, scheduledTime, trigger, exclusive, ttl, instanceId, executionId, requestedAt, reclaim, null);
	}

	/**
	 * Whether the fire must be checked against the latest claimed fire and the pause
	 * state: true unless it is a manual run or a reclaim.
	 * @return whether the fire and pause checks apply
	 */
	public boolean checksFire() {
		return this.trigger != Trigger.MANUAL && !this.reclaim;
	}

	/**
	 * The fires, from the first to the last, both included, that a misfire's record stands
	 * for. A lock claims them together: it takes the last one if it is later than every
	 * claimed fire, and keeps the others as settled, so that an instance asking for one
	 * of them later is refused as claimed instead of recording it again.
	 *
	 * @param first the first missed fire
	 * @param last the last missed fire, not before the first
	 * @since 0.2.0
	 */
	public record Missed(Instant first, Instant last) {

		/**
		 * Checks the components.
		 */
		public Missed {
			Objects.requireNonNull(first, "first must not be null");
			Objects.requireNonNull(last, "last must not be null");
			if (last.isBefore(first)) {
				throw new IllegalArgumentException("The last missed fire " + last + " is before the first " + first);
			}
		}

	}

}
