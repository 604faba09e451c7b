package io.tickwork;

/**
 * What happens to a fire that comes while the job's previous fire still runs.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public enum Overlap {

	/**
	 * The new fire is not run; it is recorded as {@link ExecutionStatus#SKIPPED} with
	 * reason {@link SkipReason#OVERLAP}.
	 */
	SKIP,

	/**
	 * The new fire runs once, right after the running one ends; further fires that come
	 * meanwhile are skipped.
	 */
	WAIT,

	/**
	 * The new fire runs in parallel with the running one.
	 */
	ALLOW

}
