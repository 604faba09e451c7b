package io.tickwork;

/**
 * What happens to fires found later than {@code tickwork.misfire-threshold}, after a
 * suspended process, a long pause or a restart of every instance.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public enum Misfire {

	/**
	 * Run the job once for all the missed fires, then follow the schedule.
	 */
	RUN_ONCE,

	/**
	 * Run nothing for the missed fires; record them as skipped and follow the schedule.
	 */
	SKIP,

	/**
	 * Run every missed fire, one after the other, up to a limit of
	 * {@value io.tickwork.Misfire#RUN_ALL_LIMIT} fires; older ones are recorded as
	 * skipped.
	 */
	RUN_ALL;

	/**
	 * Maximum number of missed fires that {@link #RUN_ALL} replays.
	 */
	public static final int RUN_ALL_LIMIT = 1000;

}
