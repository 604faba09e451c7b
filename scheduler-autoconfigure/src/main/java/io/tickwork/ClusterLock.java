package io.tickwork;

/**
 * A named lock held cluster-wide through {@link ClusterLocks}; close it to release it.
 * <p>
 * While it is held, the lock is renewed every third of its time to live. If a renewal
 * finds the lock taken by another holder, or the store cannot be reached before the
 * lock expires, the lock is lost: {@link #isLost()} turns {@code true}, {@link #isHeld()}
 * {@code false}, and the thread that acquired it is interrupted once, as a job's thread
 * is when its fire's lock is lost. Code that writes to a shared resource under the lock
 * should pass {@link #fencingToken()} along so that the resource can refuse the writes
 * of a holder that lost it. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface ClusterLock extends AutoCloseable {

	/**
	 * Name of the lock.
	 * @return the name
	 */
	String name();

	/**
	 * The fencing token of this hold: larger than that of every earlier hold of the same
	 * lock, as long as the store keeps the lock's counter.
	 * @return the fencing token
	 */
	long fencingToken();

	/**
	 * Whether the lock is still this holder's: neither released nor lost.
	 * @return whether the lock is held
	 */
	boolean isHeld();

	/**
	 * Whether the lock was lost while held: taken by another holder after it expired, or
	 * not renewed in time because the store could not be reached.
	 * @return whether the lock was lost
	 */
	boolean isLost();

	/**
	 * Releases the lock and stops renewing it; does nothing if it is already released.
	 * A release the store does not answer is sent again when the store answers; until
	 * then the lock expires at the end of its time to live.
	 */
	@Override
	void close();

}
