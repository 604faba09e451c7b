package io.tickwork.state;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the state of jobs that outlives one execution: whether a job is paused, and the
 * fires claimed for it. With a shared store this state is cluster-wide.
 * <p>
 * Implementations must be thread-safe. Methods throw an unchecked exception when the
 * store cannot be reached.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface JobStateStore {

	/**
	 * Whether a job is paused.
	 * @param job the job name
	 * @return whether the job is paused
	 */
	boolean isPaused(String job);

	/**
	 * Pauses a job; pausing a paused job does nothing.
	 * @param job the job name
	 */
	void pause(String job);

	/**
	 * Resumes a job; resuming a running job does nothing.
	 * @param job the job name
	 */
	void resume(String job);

	/**
	 * Names of every paused job.
	 * @return the paused jobs
	 */
	Set<String> pausedJobs();

	/**
	 * The latest scheduled time claimed for a job, by any instance.
	 * @param job the job name
	 * @return the latest claimed fire, or empty if none is known
	 */
	Optional<Instant> lastFire(String job);

	/**
	 * Records that the fire scheduled at {@code fire} was claimed, unless it already was:
	 * each fire is claimed at most once. The store remembers a window of the latest
	 * claimed fires of each job; a fire older than all of them counts as claimed, so that
	 * a fire can never be claimed twice however late a claim comes.
	 * @param job the job name
	 * @param fire the scheduled time
	 * @return {@code true} if the fire was recorded, {@code false} if it was already
	 * claimed
	 */
	boolean claimFire(String job, Instant fire);

}
