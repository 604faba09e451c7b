package io.tickwork.lock;

import java.time.Instant;

import io.tickwork.state.JobStateStore.ClaimedAhead;

/**
 * Answer of {@link JobLock#claim}: the lease when the fire was won, otherwise why not.
 *
 * @param status the outcome
 * @param lease the lease, only for {@link Status#ACQUIRED}
 * @param settledUntil for a fire refused as {@link Status#ALREADY_CLAIMED} or
 * {@link Status#SUPERSEDED}, the fire up to which every fire of the job is settled:
 * claimed (its claimant records it) or recorded by the instance that was told
 * {@link Status#SUPERSEDED} for an unclaimed one, whose record stands for every unclaimed
 * fire from its own up to the latest then claimed; the claimant may move the job's
 * schedule past it without claiming the fires between. {@code null} when unknown (since
 * 0.2.0)
 * @param ahead for a fire refused as {@link Status#ALREADY_CLAIMED} because it was
 * claimed, the claimed fires after it, or after {@code settledUntil} when that is given
 * too (a fire older than every fire the store remembers), or {@code null} when unknown or
 * none (since 0.2.0)
 * @author Tickwork team
 * @since 0.1.0
 */
public record Claim(Status status, Lease lease, Instant settledUntil, ClaimedAhead ahead) {

	private static final Claim PAUSED = new Claim(Status.PAUSED, null, null);

	private static final Claim ALREADY_CLAIMED = new Claim(Status.ALREADY_CLAIMED, null, null);

	private static final Claim LOCKED = new Claim(Status.LOCKED, null, null);

	private static final Claim SUPERSEDED = new Claim(Status.SUPERSEDED, null, null);

	/**
	 * Checks that a lease comes with {@link Status#ACQUIRED} and only then, that only a
	 * fire refused as claimed or superseded tells how far the fires are settled, and that
	 * only a fire refused as claimed tells the claimed fires after it.
	 */
	public Claim {
		if ((status == Status.ACQUIRED) != (lease != null)) {
			throw new IllegalArgumentException("A lease comes with ACQUIRED and only then");
		}
		if (settledUntil != null && status != Status.ALREADY_CLAIMED && status != Status.SUPERSEDED) {
			throw new IllegalArgumentException("Only ALREADY_CLAIMED and SUPERSEDED tell how far fires are settled");
		}
		if (ahead != null && status != Status.ALREADY_CLAIMED) {
			throw new IllegalArgumentException("Only ALREADY_CLAIMED tells the claimed fires after a fire");
		}
	}

	/**
	 * Creates a claim that tells nothing of the claimed fires after it.
	 * @param status the outcome
	 * @param lease the lease, only for {@link Status#ACQUIRED}
	 * @param settledUntil how far the job's fires are settled, or {@code null}
	 * @since 0.2.0
	 */
	public Claim(Status status, Lease lease, Instant settledUntil) {
		this(status, lease, settledUntil, null);
	}

	/**
	 * Creates a claim that tells nothing of the job's other fires.
	 * @param status the outcome
	 * @param lease the lease, only for {@link Status#ACQUIRED}
	 */
	public Claim(Status status, Lease lease) {
		this(status, lease, null);
	}

	/**
	 * The fire is won.
	 * @param lease the lease
	 * @return the claim
	 */
	public static Claim acquired(Lease lease) {
		return new Claim(Status.ACQUIRED, lease);
	}

	/**
	 * A claim that was not won.
	 * @param status the reason, not {@link Status#ACQUIRED}
	 * @return the claim
	 */
	public static Claim rejected(Status status) {
		return switch (status) {
			case PAUSED -> PAUSED;
			case ALREADY_CLAIMED -> ALREADY_CLAIMED;
			case LOCKED -> LOCKED;
			case SUPERSEDED -> SUPERSEDED;
			case ACQUIRED -> throw new IllegalArgumentException("ACQUIRED needs a lease");
		};
	}

	/**
	 * A fire refused as older than a claimed one, telling how far the job's fires are
	 * settled.
	 * @param status {@link Status#ALREADY_CLAIMED} or {@link Status#SUPERSEDED}
	 * @param settledUntil the fire up to which every fire of the job is claimed or
	 * recorded, or {@code null} if unknown
	 * @return the claim
	 * @since 0.2.0
	 */
	public static Claim rejected(Status status, Instant settledUntil) {
		return (settledUntil != null) ? new Claim(status, null, settledUntil) : rejected(status);
	}

	/**
	 * A fire refused because it was claimed, telling the claimed fires after it.
	 * @param ahead the claimed fires after it, or {@code null} when unknown or none
	 * @return the claim
	 * @since 0.2.0
	 */
	public static Claim alreadyClaimed(ClaimedAhead ahead) {
		return (ahead != null) ? new Claim(Status.ALREADY_CLAIMED, null, null, ahead) : ALREADY_CLAIMED;
	}

	/**
	 * Outcomes of a claim.
	 *
	 * @since 0.1.0
	 */
	public enum Status {

		/**
		 * The fire is this instance's to run.
		 */
		ACQUIRED,

		/**
		 * The job is paused; the fire is consumed and the claimant records it skipped.
		 */
		PAUSED,

		/**
		 * Another claim already took this fire; nothing to record.
		 */
		ALREADY_CLAIMED,

		/**
		 * Another execution holds the job's lock; the fire is consumed and the claimant
		 * records it skipped.
		 */
		LOCKED,

		/**
		 * A later fire of the job was already claimed; the fire is not run and the
		 * claimant records it skipped, so that fencing tokens follow fire order. The record
		 * stands for every unclaimed fire from this one up to {@link #settledUntil()} when
		 * the store tells it.
		 */
		SUPERSEDED

	}

}
