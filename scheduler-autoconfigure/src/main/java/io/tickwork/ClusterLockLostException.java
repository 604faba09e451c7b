package io.tickwork;

/**
 * Thrown by {@link ClusterLocks#tryRun} and {@link ClusterLocks#runWaiting} when the lock
 * was lost while the task ran, so that the task may have run alongside another holder.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class ClusterLockLostException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String lockName;

	/**
	 * Creates a new instance.
	 * @param lockName the lock's name
	 * @param reason why the lock was lost
	 */
	public ClusterLockLostException(String lockName, String reason) {
		super("Cluster lock '" + lockName + "' was lost while its task ran: " + reason);
		this.lockName = lockName;
	}

	/**
	 * Name of the lock that was lost.
	 * @return the name
	 */
	public String getLockName() {
		return this.lockName;
	}

}
