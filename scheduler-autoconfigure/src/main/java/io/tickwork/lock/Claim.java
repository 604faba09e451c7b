package io.tickwork.lock;

/**
 * Answer of {@link JobLock#claim}: the lease when the fire was won, otherwise why not.
 *
 * @param status the outcome
 * @param lease the lease, only for {@link Status#ACQUIRED}
 * @author Tickwork team
 * @since 0.1.0
 */
public record Claim(Status status, Lease lease) {

	private static final Claim PAUSED = new Claim(Status.PAUSED, null);

	private static final Claim ALREADY_CLAIMED = new Claim(Status.ALREADY_CLAIMED, null);

	private static final Claim LOCKED = new Claim(Status.LOCKED, null);

	private static final Claim SUPERSEDED = new Claim(Status.SUPERSEDED, null);

	/**
	 * Checks that a lease comes with {@link Status#ACQUIRED} and only then.
	 */
	public Claim {
		if ((status == Status.ACQUIRED) != (lease != null)) {
			throw new IllegalArgumentException("A lease comes with ACQUIRED and only then");
		}
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
		 * claimant records it skipped, so that fencing tokens follow fire order.
		 */
		SUPERSEDED

	}

}
