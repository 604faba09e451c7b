package io.tickwork.metrics;

import io.tickwork.JobExecution;
import io.tickwork.JobListener;

/**
 * Routes every way an execution of a scheduled job can end to one method; attempts of
 * queued jobs are left to {@link QueueMetrics}.
 */
abstract class ExecutionEndListener implements JobListener {

	@Override
	public void onSucceeded(JobExecution execution) {
		if (isQueued(execution)) {
			return;
		}
		ended(execution, null);
	}

	@Override
	public void onFailed(JobExecution execution, Throwable error) {
		if (isQueued(execution)) {
			return;
		}
		ended(execution, error);
	}

	@Override
	public void onTimedOut(JobExecution execution) {
		if (isQueued(execution)) {
			return;
		}
		ended(execution, null);
	}

	@Override
	public void onInterrupted(JobExecution execution) {
		if (isQueued(execution)) {
			return;
		}
		ended(execution, null);
	}

	/**
	 * Whether an execution is an attempt of a queued job, which {@link QueueMetrics}
	 * measures instead.
	 * @param execution the execution
	 * @return whether it is queued
	 */
	static boolean isQueued(JobExecution execution) {
		return execution.trigger() == JobExecution.Trigger.QUEUE;
	}

	/**
	 * An execution that started has ended.
	 * @param execution the finished execution
	 * @param error what the last attempt threw, or {@code null}
	 */
	abstract void ended(JobExecution execution, Throwable error);

}
