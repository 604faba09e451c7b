package io.tickwork.lock;

import java.time.Instant;
import java.util.Objects;

/**
 * A won claim: proof of holding a job's lock for one fire.
 *
 * @param job the job name
 * @param token random value that identifies this holder; release and extension compare
 * it
 * @param fencingToken number that grows with every claim of the job
 * @param scheduledTime the fire's scheduled time
 * @param exclusive whether the job's mutex is held
 * @param executionId the execution the claim became
 * @author Tickwork team
 * @since 0.1.0
 */
public record Lease(String job, String token, long fencingToken, Instant scheduledTime, boolean exclusive,
		String executionId) {

	/**
	 * Checks the components.
	 */
	public Lease {
		Objects.requireNonNull(job, "job must not be null");
		Objects.requireNonNull(token, "token must not be null");
		Objects.requireNonNull(scheduledTime, "scheduledTime must not be null");
		Objects.requireNonNull(executionId, "executionId must not be null");
	}

}
