package io.tickwork;

import java.util.concurrent.CompletableFuture;

/**
 * The future result of a manual run: it completes with the finished (or skipped)
 * execution, and knows the execution's id from the start.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class JobRun extends CompletableFuture<JobExecution> {

	private final String executionId;

	/**
	 * Creates a new instance.
	 * @param executionId the id the execution will carry
	 */
	public JobRun(String executionId) {
		this.executionId = executionId;
	}

	/**
	 * Id of the execution this run produces.
	 * @return the execution id
	 */
	public String executionId() {
		return this.executionId;
	}

}
