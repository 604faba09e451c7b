package io.tickwork.redis;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.tickwork.JobExecution;
import io.tickwork.JobStats;
import io.tickwork.history.JobHistory;

/**
 * {@link JobHistory} in Redis: per job a capped list of finished executions as JSON,
 * newest first, and their statistics in the job's state hash, expiring after the
 * history's time to live. Writes are idempotent by execution id; while Redis is
 * unreachable they are buffered locally. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class RedisJobHistory implements JobHistory {

	private final RedisJobStore store;

	/**
	 * Creates a new instance.
	 * @param store the Redis store
	 */
	public RedisJobHistory(RedisJobStore store) {
		this.store = store;
	}

	@Override
	public void record(JobExecution execution) {
		this.store.record(execution);
	}

	@Override
	public void recordWithoutWaiting(JobExecution execution) {
		this.store.recordWithoutWaiting(execution);
	}

	@Override
	public List<JobExecution> recent(String job, int limit) {
		return this.store.await(recentAsync(job, limit));
	}

	@Override
	public CompletableFuture<List<JobExecution>> recentAsync(String job, int limit) {
		if (limit <= 0) {
			return CompletableFuture.completedFuture(List.of());
		}
		Instant oldest = this.store.oldestKept();
		return this.store.read(job, ScriptCodec.READ_HISTORY, (answer) -> ScriptCodec.history(answer, oldest, limit),
				String.valueOf(limit));
	}

	@Override
	public JobStats stats(String job) {
		return this.store.await(this.store.read(job, ScriptCodec.READ_STATS, ScriptCodec::stats));
	}

}
