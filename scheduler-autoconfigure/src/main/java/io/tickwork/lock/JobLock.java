package io.tickwork.lock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.tickwork.JobExecution;

/**
 * Decides which instance runs each fire of a job, and keeps other executions of the job
 * out while it runs.
 * <p>
 * A claim is per fire: within one atomic step it checks that the fire was not already
 * claimed, that the job is not paused, and that the job's lock is free, then takes the
 * lock with a fresh random token and a new fencing token. Release and extension succeed
 * only for the holder's own token. Implementations must be thread-safe; methods throw an
 * unchecked exception when the store cannot be reached.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface JobLock {

	/**
	 * Claims one fire of a job.
	 * @param request the fire
	 * @return the claim
	 */
	Claim claim(ClaimRequest request);

	/**
	 * Claims one fire of a job like {@link #claim(ClaimRequest)}, without making the
	 * caller wait: the engine calls it from its ticker and hands the fire to a worker
	 * when the stage completes. An implementation must not block the calling thread;
	 * the default runs {@link #claim(ClaimRequest)} on the given executor.
	 * @param request the fire
	 * @param executor where blocking work may run
	 * @return a stage that completes with the claim, or with the claim's failure
	 * @since 0.1.0
	 */
	default CompletionStage<Claim> claimAsync(ClaimRequest request, Executor executor) {
		return CompletableFuture.supplyAsync(() -> claim(request), executor);
	}

	/**
	 * Extends a held lock.
	 * @param lease the lease
	 * @param ttl the new time to live from now
	 * @return {@code true} if the lock was still held with this lease's token
	 */
	boolean extend(Lease lease, Duration ttl);

	/**
	 * Extends a held lock without making the caller wait for a remote store, so that one
	 * store node that does not answer holds up no other renewal; the stage completes as
	 * {@link #extend(Lease, Duration)} would answer, or fails as it would throw. The
	 * default extends at once on the calling thread.
	 * @param lease the lease
	 * @param ttl the new time to live, from now
	 * @return whether the lock was still held
	 * @since 0.1.0
	 */
	default CompletionStage<Boolean> extendAsync(Lease lease, Duration ttl) {
		try {
			return CompletableFuture.completedFuture(extend(lease, ttl));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Releases a held lock. A lock held by another token is left alone.
	 * @param lease the lease
	 * @param execution the finished execution, which a lock that
	 * {@linkplain #recordsHistory() records history} writes in the same step
	 * @return {@code true} if the lock was still held with this lease's token
	 */
	boolean release(Lease lease, JobExecution execution);

	/**
	 * Releases a held lock like {@link #release(Lease, JobExecution)}, without making
	 * the caller wait: the engine frees its worker at once and finishes the execution's
	 * bookkeeping when the stage completes. The default releases at once on the calling
	 * thread.
	 * @param lease the lease
	 * @param execution the finished execution
	 * @return a stage that completes with whether the lock was still held, or with the
	 * release's failure
	 * @since 0.1.0
	 */
	default CompletionStage<Boolean> releaseAsync(Lease lease, JobExecution execution) {
		try {
			return CompletableFuture.completedFuture(release(lease, execution));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Whether this lock writes executions to the history itself: the running execution
	 * when a claim is won and the finished one on release, each in the same step as the
	 * lock operation. The engine then does not record claimed executions
	 * separately.
	 * @return whether claimed executions are recorded by the lock
	 */
	default boolean recordsHistory() {
		return false;
	}

}
