package io.tickwork;

/**
 * Thrown when a {@link JobScheduler} operation names a job that is not registered.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class NoSuchJobException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String jobName;

	/**
	 * Creates a new instance.
	 * @param jobName the unknown job name
	 */
	public NoSuchJobException(String jobName) {
		super("No job named '" + jobName + "'");
		this.jobName = jobName;
	}

	/**
	 * The name that matched no job.
	 * @return the job name
	 */
	public String getJobName() {
		return this.jobName;
	}

}
