package io.tickwork.metrics;

import io.tickwork.JobExecution;
import io.tickwork.JobListener;

/**
 * Routes every way an execution can end to one method.
 */
abstract class ExecutionEndListener implements JobListener {

	@Override
	public void onSucceeded(JobExecution execution) {
		ended(execution, null);
	}

	@Override
	public void onFailed(JobExecution execution, Throwable error) {
		ended(execution, error);
	}

	@Override
	public void onTimedOut(JobExecution execution) {
		ended(execution, null);
	}

	@Override
	public void onInterrupted(JobExecution execution) {
		ended(execution, null);
	}

	/**
	 * An execution that started has ended.
	 * @param execution the finished execution
	 * @param error what the last attempt threw, or {@code null}
	 */
	abstract void ended(JobExecution execution, Throwable error);

}
