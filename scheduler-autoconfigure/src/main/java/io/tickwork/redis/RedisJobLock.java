package io.tickwork.redis;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.tickwork.JobExecution;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;

/**
 * {@link JobLock} in Redis: one script operation claims a fire (already claimed? paused?
 * lock free or expired?), takes the lock with a random 128-bit token and an expiry from
 * Redis's clock, and increments the job's fencing counter; release and extension compare
 * the token. When the history is in Redis too, the lock keeps the running execution and
 * the release writes the finished one in the same operation. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class RedisJobLock implements JobLock {

	private final RedisJobStore store;

	private final boolean recordsHistory;

	/**
	 * Creates a new instance.
	 * @param store the Redis store
	 * @param recordsHistory whether claims and releases also write the Redis history
	 */
	public RedisJobLock(RedisJobStore store, boolean recordsHistory) {
		this.store = store;
		this.recordsHistory = recordsHistory;
	}

	@Override
	public Claim claim(ClaimRequest request) {
		return this.store.claim(request, this.recordsHistory);
	}

	@Override
	public CompletionStage<Claim> claimAsync(ClaimRequest request, Executor executor) {
		return this.store.claimAsync(request, this.recordsHistory);
	}

	@Override
	public boolean extend(Lease lease, Duration ttl) {
		return this.store.extend(lease, ttl);
	}

	@Override
	public CompletionStage<Boolean> extendAsync(Lease lease, Duration ttl) {
		return this.store.extendAsync(lease, ttl);
	}

	@Override
	public boolean release(Lease lease, JobExecution execution) {
		return this.store.release(lease, execution, this.recordsHistory);
	}

	@Override
	public CompletionStage<Boolean> releaseAsync(Lease lease, JobExecution execution) {
		return this.store.releaseAsync(lease, execution, this.recordsHistory);
	}

	@Override
	public boolean recordsHistory() {
		return this.recordsHistory;
	}

}
