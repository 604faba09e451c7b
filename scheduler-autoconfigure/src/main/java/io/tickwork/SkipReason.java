package io.tickwork;

import java.util.Locale;

/**
 * Why a fire was recorded as {@link ExecutionStatus#SKIPPED} instead of being run.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public enum SkipReason {

	/**
	 * The job is paused.
	 */
	PAUSED,

	/**
	 * The previous fire still ran and the job's {@link Overlap} policy said skip.
	 */
	OVERLAP,

	/**
	 * Another instance held the job's lock.
	 */
	LOCKED,

	/**
	 * The lock or state store could not be reached.
	 */
	STORE_UNAVAILABLE,

	/**
	 * A later fire of the job was already claimed (an instance that lagged found this
	 * one late), so this older one is not run: fencing tokens follow fire order.
	 */
	SUPERSEDED,

	/**
	 * The job is disabled.
	 */
	DISABLED,

	/**
	 * The fire was found too late and the job's {@link Misfire} policy said skip.
	 */
	MISFIRE,

	/**
	 * The fire was due while the scheduler was shutting down.
	 */
	SHUTDOWN;

	/** The tag value, computed once: meters look it up on every claim and skip. */
	private final String tag;

	SkipReason() {
		this.tag = name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Lower-case, dash-separated name used in records, metrics and logs, such as
	 * {@code store-unavailable}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
