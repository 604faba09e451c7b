package io.tickwork;

/**
 * Status of one {@link JobExecution}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public enum ExecutionStatus {

	/**
	 * The execution is running.
	 */
	RUNNING,

	/**
	 * An attempt completed normally.
	 */
	SUCCEEDED,

	/**
	 * Every attempt threw.
	 */
	FAILED,

	/**
	 * The last attempt ran past the job's timeout.
	 */
	TIMED_OUT,

	/**
	 * The fire was not run; {@link JobExecution#errorMessage()} gives the reason.
	 */
	SKIPPED,

	/**
	 * The execution was stopped before it ended: shutdown, or loss of its lock.
	 */
	INTERRUPTED,

	/**
	 * The instance that ran the execution died before recording its end.
	 */
	ABANDONED;

	/**
	 * Whether this status is final.
	 * @return {@code false} only for {@link #RUNNING}
	 */
	public boolean isFinished() {
		return this != RUNNING;
	}

}
