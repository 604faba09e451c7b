package io.tickwork.queue;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;

import io.tickwork.JobContext;
import io.tickwork.JobRequest;
import io.tickwork.RetryPolicy;

/**
 * A validated handler of a queued job type: what runs its jobs, and how.
 *
 * @param type the job type
 * @param payloadType the type the payload is read as, or {@code null} if the handler does
 * not take it
 * @param invoker what runs a job
 * @param timeout the timeout of an attempt, or {@code null} for none
 * @param retry the retry policy; its {@code maxAttempts} counts deliveries
 * @param concurrency the most jobs of the type this instance runs at once
 * @param enabled whether this instance runs jobs of the type
 * @param source where the handler was declared, for messages
 * @author Tickwork team
 * @since 0.2.0
 */
public record HandlerDefinition(String type, Type payloadType, Invoker invoker, Duration timeout, RetryPolicy retry,
		int concurrency, boolean enabled, String source) {

	/**
	 * Checks the definition.
	 */
	public HandlerDefinition {
		JobRequest.checkType(type);
		Objects.requireNonNull(invoker, "invoker");
		Objects.requireNonNull(retry, "retry");
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("Handler of '" + type + "': timeout " + timeout + " must be positive");
		}
		if (concurrency < 1) {
			throw new IllegalArgumentException("Handler of '" + type + "': concurrency " + concurrency
					+ " must be at least 1");
		}
	}

	/**
	 * Runs one attempt of a queued job.
	 *
	 * @since 0.2.0
	 */
	@FunctionalInterface
	public interface Invoker {

		/**
		 * Runs the job.
		 * @param payload the payload read as the handler's type (or {@code null})
		 * @param context the attempt's context
		 * @throws Exception anything the job throws fails the attempt
		 */
		void invoke(Object payload, JobContext context) throws Exception;

	}

}
