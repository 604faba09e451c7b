package io.tickwork;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retry policy of a {@link ScheduledJob}: failed attempts are retried inside the same
 * fire, while the fire's lock is held.
 * <p>
 * Every attribute left at its default inherits {@code tickwork.defaults.retry.*}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retry {

	/**
	 * Maximum number of attempts per fire, the first one included; at least 1.
	 * {@code -1} (the default) inherits {@code tickwork.defaults.retry.max-attempts}.
	 * @return the maximum number of attempts
	 */
	int maxAttempts() default -1;

	/**
	 * How the delay grows between attempts: at most one value; empty inherits
	 * {@code tickwork.defaults.retry.backoff}.
	 * @return the backoff
	 */
	Backoff[] backoff() default {};

	/**
	 * Delay before the second attempt, such as {@code 2s}.
	 * @return the base delay
	 */
	String delay() default "";

	/**
	 * Factor applied to the delay after each attempt with {@link Backoff#EXPONENTIAL};
	 * at least 1. {@code -1} (the default) inherits the configured value.
	 * @return the multiplier
	 */
	double multiplier() default -1;

	/**
	 * Upper bound of any single delay, such as {@code 5m}.
	 * @return the maximum delay
	 */
	String maxDelay() default "";

	/**
	 * Random spread applied to each delay, as a fraction between 0 and 1: {@code 0.2}
	 * draws each delay uniformly within ±20%. {@code -1} (the default) inherits the
	 * configured value.
	 * @return the jitter factor
	 */
	double jitter() default -1;

}
