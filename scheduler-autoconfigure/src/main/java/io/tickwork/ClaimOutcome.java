package io.tickwork;

import java.util.Locale;

/**
 * What an instance's attempt to claim a fire came to.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public enum ClaimOutcome {

	/**
	 * The fire is this instance's to run.
	 */
	ACQUIRED,

	/**
	 * Another instance had already claimed this fire.
	 */
	ALREADY_CLAIMED,

	/**
	 * The job is paused.
	 */
	PAUSED,

	/**
	 * Another execution of the job held its lock.
	 */
	LOCKED,

	/**
	 * A later fire of the job was already claimed, so this older one is not run: fencing
	 * tokens follow fire order.
	 */
	SUPERSEDED,

	/**
	 * The store could not be reached.
	 */
	UNAVAILABLE;

	/** The tag value, computed once: meters look it up on every claim and skip. */
	private final String tag;

	ClaimOutcome() {
		this.tag = name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Lower-case, dash-separated name used in metrics, such as {@code already-claimed}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
