package io.tickwork.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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
	 * Reads whether a job is paused without making the caller wait for the store: a store
	 * that sends requests together answers many reads in one round trip. The future must
	 * complete, or fail when the store cannot answer. The default reads at once.
	 * @param job the job name
	 * @return whether the job is paused
	 * @since 0.2.0
	 */
	default CompletableFuture<Boolean> isPausedAsync(String job) {
		return now(() -> isPaused(job));
	}

	/**
	 * Reads the latest scheduled time claimed for a job without making the caller wait
	 * for the store, like {@link #isPausedAsync(String)}. The default reads at once.
	 * @param job the job name
	 * @return the latest claimed fire, or empty if none is known
	 * @since 0.2.0
	 */
	default CompletableFuture<Optional<Instant>> lastFireAsync(String job) {
		return now(() -> lastFire(job));
	}

	/** A read done at once, as a future: completed with its value, or failed with what it threw. */
	private static <T> CompletableFuture<T> now(Supplier<T> read) {
		try {
			return CompletableFuture.completedFuture(read.get());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Records that the fire scheduled at {@code fire} was claimed, unless it already was
	 * or a later fire of the job was: each fire is claimed at most once, and fires are
	 * claimed in order, so that a fire can never be claimed twice however late a claim
	 * comes and fencing tokens follow fire order.
	 * @param job the job name
	 * @param fire the scheduled time
	 * @return {@code true} if the fire was recorded, {@code false} if it or a later fire
	 * was already claimed
	 */
	boolean claimFire(String job, Instant fire);

	/**
	 * Claims a fire as {@link #claimFire(String, Instant)} does, and tells why one is
	 * refused. The default cannot tell a fire that was claimed from one that is older than
	 * a claimed fire, and answers {@link FireClaim#CLAIMED} for both.
	 * @param job the job name
	 * @param fire the scheduled time
	 * @return what became of the claim
	 * @since 0.1.0
	 */
	default FireClaim takeFire(String job, Instant fire) {
		return claimFire(job, fire) ? FireClaim.TAKEN : FireClaim.CLAIMED;
	}

	/**
	 * Claims a fire as {@link #takeFire(String, Instant)} does, and tells, for a fire
	 * refused as older than a claimed one, the fire up to which every fire of the job is
	 * settled: claimed (its claimant records it) or recorded by the instance that was told
	 * {@link FireClaim#SUPERSEDED} for it, whose record stands for every unclaimed fire
	 * from its own up to the latest then claimed. A claimant may move its schedule past
	 * that fire without asking for the fires between. The default tells none.
	 * @param job the job name
	 * @param fire the scheduled time
	 * @return what became of the claim
	 * @since 0.2.0
	 */
	default FireAnswer answerFire(String job, Instant fire) {
		return new FireAnswer(takeFire(job, fire), null);
	}

	/**
	 * Claims a fire that stands for missed fires, from {@code first} to {@code last}, the
	 * fire among them: if {@code last} is later than every claimed fire, it is claimed and
	 * the fires from {@code first} before it are kept as settled, so that a claim of one
	 * of them is refused as {@link FireClaim#CLAIMED} up to {@code last} (the claimant
	 * records them); otherwise the fire is answered as {@link #answerFire(String, Instant)}
	 * answers it. The default claims the fire alone.
	 * @param job the job name
	 * @param fire the scheduled time, from {@code first} to {@code last}
	 * @param first the first missed fire
	 * @param last the last missed fire
	 * @return what became of the claim
	 * @since 0.2.0
	 */
	default FireAnswer answerMissed(String job, Instant fire, Instant first, Instant last) {
		return answerFire(job, fire);
	}

	/**
	 * What became of the claim of a fire, and how far the job's fires are settled.
	 *
	 * @param claim what became of the claim
	 * @param settledUntil for a refused fire, the fire up to which every fire of the job
	 * is claimed or recorded, or {@code null} if unknown; see
	 * {@link JobStateStore#answerFire(String, Instant)}
	 * @param ahead for a fire refused because it was claimed, the claimed fires after it
	 * ({@link ClaimedAhead}), or after {@code settledUntil} when that is given too (a fire
	 * older than every fire the store remembers), or {@code null} when unknown or none
	 * @since 0.2.0
	 */
	record FireAnswer(FireClaim claim, Instant settledUntil, ClaimedAhead ahead) {

		/**
		 * Checks the components.
		 */
		public FireAnswer {
			Objects.requireNonNull(claim, "claim must not be null");
			if (claim == FireClaim.TAKEN && settledUntil != null) {
				throw new IllegalArgumentException("A taken fire settles nothing before it");
			}
			if (ahead != null && claim != FireClaim.CLAIMED) {
				throw new IllegalArgumentException("Only a claimed fire tells the claimed fires after it");
			}
		}

		/**
		 * Creates an answer that tells nothing of the claimed fires after the fire.
		 * @param claim what became of the claim
		 * @param settledUntil how far the job's fires are settled, or {@code null}
		 */
		public FireAnswer(FireClaim claim, Instant settledUntil) {
			this(claim, settledUntil, null);
		}

	}

	/**
	 * The claimed fires after a fire that was claimed: how many the store remembers after
	 * it, up to the latest claimed one. When the job's schedule has exactly that many
	 * fires after it up to {@code latest}, every one of them is claimed (and recorded by
	 * its claimant), and an instance that lagged behind may move the job's schedule past
	 * {@code latest} without claiming them; a fire missing in between (one nobody claimed)
	 * makes the counts differ, and the fires are asked for one by one.
	 *
	 * @param latest the latest claimed fire of the job
	 * @param claimed how many fires after the refused one, up to {@code latest}, are claimed
	 * @since 0.2.0
	 */
	record ClaimedAhead(Instant latest, int claimed) {

		/**
		 * Checks the components.
		 */
		public ClaimedAhead {
			Objects.requireNonNull(latest, "latest must not be null");
			if (claimed < 1) {
				throw new IllegalArgumentException("At least one claimed fire is ahead, not " + claimed);
			}
		}

	}

	/**
	 * What became of the claim of a fire.
	 *
	 * @since 0.1.0
	 */
	enum FireClaim {

		/**
		 * The fire is claimed now.
		 */
		TAKEN,

		/**
		 * The fire was claimed before (or is too old to tell).
		 */
		CLAIMED,

		/**
		 * A later fire of the job was claimed and this one was not: it is refused, so that
		 * fires are claimed in order, and the caller records it, for itself and for every
		 * fire after it up to the latest claimed one that no instance claimed.
		 */
		SUPERSEDED

	}

}
