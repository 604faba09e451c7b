package io.tickwork.autoconfigure;

import java.time.Duration;

import org.springframework.context.ApplicationEventPublisher;

import io.tickwork.JobEvent;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.SkipReason;

/**
 * Publishes a {@link JobEvent} as a Spring application event for every moment of a
 * job's executions.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class ApplicationEventJobListener implements JobListener {

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates a new instance.
	 * @param publisher the publisher
	 */
	public ApplicationEventJobListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onStarted(JobExecution execution) {
		this.publisher.publishEvent(new JobEvent.Started(execution));
	}

	@Override
	public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
		this.publisher.publishEvent(new JobEvent.Retrying(execution, error, delay));
	}

	@Override
	public void onSucceeded(JobExecution execution) {
		this.publisher.publishEvent(new JobEvent.Succeeded(execution));
	}

	@Override
	public void onFailed(JobExecution execution, Throwable error) {
		this.publisher.publishEvent(new JobEvent.Failed(execution, error));
	}

	@Override
	public void onTimedOut(JobExecution execution) {
		this.publisher.publishEvent(new JobEvent.TimedOut(execution));
	}

	@Override
	public void onInterrupted(JobExecution execution) {
		this.publisher.publishEvent(new JobEvent.Interrupted(execution));
	}

	@Override
	public void onSkipped(JobExecution execution, SkipReason reason) {
		this.publisher.publishEvent(new JobEvent.Skipped(execution, reason));
	}

}
