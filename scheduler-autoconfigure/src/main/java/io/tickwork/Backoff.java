package io.tickwork;

/**
 * How the delay between retry attempts grows.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public enum Backoff {

	/**
	 * The delay is multiplied by the multiplier after each attempt.
	 */
	EXPONENTIAL,

	/**
	 * The delay grows by the base delay after each attempt.
	 */
	LINEAR,

	/**
	 * The delay stays the same.
	 */
	FIXED

}
