package io.tickwork;

/**
 * The work of a job defined in code through {@link JobScheduler#schedule}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@FunctionalInterface
public interface JobTask {

	/**
	 * Runs one attempt of the job.
	 * @param context the execution's context
	 * @throws Exception to fail the attempt; it is retried if the policy allows
	 */
	void run(JobContext context) throws Exception;

}
