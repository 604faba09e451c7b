package io.tickwork;

import java.time.Duration;
import java.util.Objects;

/**
 * Resolved retry settings of a job: how many attempts one fire gets and how long to wait
 * between them. Immutable and thread-safe.
 *
 * @param maxAttempts maximum number of attempts per fire, the first one included
 * @param backoff how the delay grows
 * @param delay delay before the second attempt
 * @param multiplier growth factor for {@link Backoff#EXPONENTIAL}
 * @param maxDelay upper bound of a single delay
 * @param jitter random spread of each delay, a fraction between 0 and 1
 * @author Tickwork team
 * @since 0.1.0
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, Duration delay, double multiplier, Duration maxDelay,
		double jitter) {

	/**
	 * One attempt, no retry.
	 */
	public static final RetryPolicy NONE = new RetryPolicy(1, Backoff.EXPONENTIAL, Duration.ofSeconds(1), 2.0,
			Duration.ofMinutes(5), 0.0);

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException if a setting is out of range, naming it
	 */
	public RetryPolicy {
		Objects.requireNonNull(backoff, "backoff must not be null");
		Objects.requireNonNull(delay, "delay must not be null");
		Objects.requireNonNull(maxDelay, "maxDelay must not be null");
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative, was " + delay);
		}
		if (maxDelay.isNegative()) {
			throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
		}
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
		}
		if (!(jitter >= 0.0 && jitter <= 1.0)) {
			throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
		}
	}

	/**
	 * Returns a policy with the given number of attempts and these other settings.
	 * @param maxAttempts the maximum number of attempts
	 * @return the new policy
	 */
	public RetryPolicy withMaxAttempts(int maxAttempts) {
		return new RetryPolicy(maxAttempts, this.backoff, this.delay, this.multiplier, this.maxDelay, this.jitter);
	}

	/**
	 * Delay to wait after the given failed attempt, before the next one.
	 * @param failedAttempt the attempt that failed, starting at 1
	 * @param random a number in {@code [0, 1)} that places the delay within the jitter
	 * band; {@code 0.5} gives the delay without jitter
	 * @return the delay, never negative and never above {@link #maxDelay()}
	 */
	public Duration delayAfter(int failedAttempt, double random) {
		double base = this.delay.toNanos();
		double nanos = switch (this.backoff) {
			case FIXED -> base;
			case LINEAR -> base * failedAttempt;
			case EXPONENTIAL -> base * Math.pow(this.multiplier, failedAttempt - 1);
		};
		double max = this.maxDelay.toNanos();
		nanos = Math.min(nanos, max);
		if (this.jitter > 0) {
			nanos = nanos * (1 + this.jitter * (2 * random - 1));
		}
		return Duration.ofNanos((long) Math.max(0, Math.min(nanos, max)));
	}

}
