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
		String token = ScriptCodec.token();
		ScriptOperation claim = this.store.submit(request.job(), ScriptCodec.claimKind(request, this.recordsHistory),
				ScriptCodec.claimArguments(request, token));
		String answer;
		try {
			answer = this.store.await(request.job(), claim);
		}
		catch (RuntimeException ex) {
			orphan(request, token);
			throw ex;
		}
		return ScriptCodec.claimed(request, token, answer);
	}

	/**
	 * Claims without waiting: the stage completes on a sender thread when Redis answers,
	 * or fails with the store's deadline.
	 */
	@Override
	public CompletionStage<Claim> claimAsync(ClaimRequest request, Executor executor) {
		String token = ScriptCodec.token();
		ScriptOperation claim = this.store.submit(request.job(), ScriptCodec.claimKind(request, this.recordsHistory),
				ScriptCodec.claimArguments(request, token));
		claim.result.whenComplete((answer, ex) -> {
			if (ex != null) {
				orphan(request, token);
			}
		});
		return this.store.async(request.job(), claim, (answer) -> ScriptCodec.claimed(request, token, answer));
	}

	private void orphan(ClaimRequest request, String token) {
		this.store.orphan(request.job(), token, request.exclusive(), request.executionId());
	}

	@Override
	public boolean extend(Lease lease, Duration ttl) {
		return "1".equals(this.store.await(lease.job(), this.store.submit(lease.job(), ScriptCodec.extendKind(lease),
				ScriptCodec.extendArguments(lease, ttl))));
	}

	/** Extends a lease without waiting; the stage fails with the store's deadline. */
	@Override
	public CompletionStage<Boolean> extendAsync(Lease lease, Duration ttl) {
		return this.store.async(lease.job(), this.store.submit(lease.job(), ScriptCodec.extendKind(lease),
				ScriptCodec.extendArguments(lease, ttl)), "1"::equals);
	}

	@Override
	public boolean release(Lease lease, JobExecution execution) {
		ScriptOperation release = this.store.submit(lease.job(),
				ScriptCodec.releaseKind(lease, this.recordsHistory), ScriptCodec.releaseArguments(lease, execution));
		String answer;
		try {
			answer = this.store.await(lease.job(), release);
		}
		catch (RuntimeException ex) {
			orphan(lease);
			throw ex;
		}
		return "1".equals(answer);
	}

	/**
	 * Releases a lease without waiting; the stage fails like {@link #release} would,
	 * with the same deadline, and a release given up on before it is sent is never sent.
	 */
	@Override
	public CompletionStage<Boolean> releaseAsync(Lease lease, JobExecution execution) {
		ScriptOperation release = this.store.submit(lease.job(),
				ScriptCodec.releaseKind(lease, this.recordsHistory), ScriptCodec.releaseArguments(lease, execution));
		release.result.whenComplete((answer, ex) -> {
			if (ex != null) {
				orphan(lease);
			}
		});
		return this.store.async(lease.job(), release, "1"::equals);
	}

	/** A release that did not get through is sent again, without a record, when Redis answers. */
	private void orphan(Lease lease) {
		this.store.orphan(lease.job(), lease.token(), lease.exclusive(), lease.executionId());
	}

	@Override
	public boolean recordsHistory() {
		return this.recordsHistory;
	}

}
