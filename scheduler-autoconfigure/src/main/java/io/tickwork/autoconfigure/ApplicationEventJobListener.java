package io.tickwork.autoconfigure;

import java.time.Duration;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.core.ResolvableType;

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

	/** The type of a payload event of each event class, as Spring works it out. */
	private static final ClassValue<ResolvableType> TYPES = new ClassValue<>() {
		@Override
		protected ResolvableType computeValue(Class<?> type) {
			return ResolvableType.forClassWithGenerics(Payload.class, type);
		}
	};

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates a new instance.
	 * @param publisher the publisher
	 */
	public ApplicationEventJobListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * Publishes the event as Spring would publish a payload, with its type worked out
	 * once per event class instead of on every publication.
	 */
	private void publish(JobEvent event) {
		this.publisher.publishEvent(new Payload<>(this.publisher, event, TYPES.get(event.getClass())));
	}

	@Override
	public void onStarted(JobExecution execution) {
		publish(new JobEvent.Started(execution));
	}

	@Override
	public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
		publish(new JobEvent.Retrying(execution, error, delay));
	}

	@Override
	public void onSucceeded(JobExecution execution) {
		publish(new JobEvent.Succeeded(execution));
	}

	@Override
	public void onFailed(JobExecution execution, Throwable error) {
		publish(new JobEvent.Failed(execution, error));
	}

	@Override
	public void onTimedOut(JobExecution execution) {
		publish(new JobEvent.TimedOut(execution));
	}

	@Override
	public void onInterrupted(JobExecution execution) {
		publish(new JobEvent.Interrupted(execution));
	}

	@Override
	public void onSkipped(JobExecution execution, SkipReason reason) {
		publish(new JobEvent.Skipped(execution, reason));
	}

	/** A payload event that knows its own type. */
	private static final class Payload<T> extends PayloadApplicationEvent<T> {

		private final transient ResolvableType type;

		Payload(Object source, T payload, ResolvableType type) {
			super(source, payload, type.getGeneric());
			this.type = type;
		}

		@Override
		public ResolvableType getResolvableType() {
			return this.type;
		}

	}

}
