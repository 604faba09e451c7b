package io.tickwork.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.SkipReason;

/**
 * Records every callback as a line such as {@code succeeded job-a}.
 */
public final class RecordingJobListener implements JobListener {

	private final List<String> events = new CopyOnWriteArrayList<>();

	public List<String> events() {
		return this.events;
	}

	@Override
	public void onStarted(JobExecution execution) {
		this.events.add("started " + execution.job());
	}

	@Override
	public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
		this.events.add("retrying " + execution.job() + " after attempt " + execution.attempts() + " in " + delay);
	}

	@Override
	public void onSucceeded(JobExecution execution) {
		this.events.add("succeeded " + execution.job());
	}

	@Override
	public void onFailed(JobExecution execution, Throwable error) {
		this.events.add("failed " + execution.job() + ": " + error.getMessage());
	}

	@Override
	public void onTimedOut(JobExecution execution) {
		this.events.add("timed out " + execution.job());
	}

	@Override
	public void onInterrupted(JobExecution execution) {
		this.events.add("interrupted " + execution.job());
	}

	@Override
	public void onSkipped(JobExecution execution, SkipReason reason) {
		this.events.add("skipped " + execution.job() + " " + reason.tag());
	}

}
