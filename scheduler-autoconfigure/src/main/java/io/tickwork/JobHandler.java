package io.tickwork;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of a queued job type: every job enqueued through
 * {@link JobQueue} with that type runs it, at least once, on one of the instances that
 * handle the type.
 * <p>
 * The method returns {@code void} and takes the payload (any type the application's JSON
 * mapper can read), a {@link JobContext}, or both in that order. Every string attribute
 * accepts {@code ${...}} placeholders; attributes left unset take their value from
 * {@code tickwork.queue.*}, and {@code tickwork.queues.<type>.*} overrides both.
 * Failed attempts are retried through the queue, with the {@link #retry()} backoff, on
 * any instance; a job whose last attempt fails goes to the type's dead letter.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface JobHandler {

	/**
	 * The job type, unique in the application: 1 to 100 letters, digits, {@code .},
	 * {@code _} or {@code -}, starting with a letter or digit. Defaults to the method name
	 * in kebab-case ({@code sendEmail} becomes {@code send-email}).
	 * @return the job type
	 */
	String value() default "";

	/**
	 * Longest time one attempt may run, such as {@code 30s}; the attempt is interrupted
	 * and counts as failed. Empty inherits {@code tickwork.queue.timeout} (none by
	 * default).
	 * @return the timeout of an attempt
	 */
	String timeout() default "";

	/**
	 * Retries of a failed attempt: {@link Retry#maxAttempts()} counts every delivery of a
	 * job (an attempt lost with its instance included); the delay is waited in the queue,
	 * not on a worker. Unset attributes inherit {@code tickwork.defaults.retry.*}.
	 * @return the retry policy
	 */
	Retry retry() default @Retry;

	/**
	 * At most this many jobs of this type run at once on one instance, such as {@code 4}.
	 * Empty inherits {@code tickwork.queue.concurrency}.
	 * @return the concurrency per instance
	 */
	String concurrency() default "";

	/**
	 * Whether this instance runs jobs of this type; a disabled handler still lets the
	 * application enqueue them. {@code tickwork.queues.<type>.enabled} overrides it.
	 * @return whether the handler runs jobs
	 */
	boolean enabled() default true;

}
