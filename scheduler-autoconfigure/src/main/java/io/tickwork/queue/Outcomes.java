package io.tickwork.queue;

import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.tickwork.QueuedJob;

/**
 * The futures of jobs whose outcome someone waits for: completed at once when this
 * instance ends the job, and by polling the store for jobs that other instances run.
 */
final class Outcomes {

	private final Map<String, CompletableFuture<QueuedJob>> waiting = new ConcurrentHashMap<>();

	/** Until when someone waits for each key (System.nanoTime), so that expired waits are dropped. */
	private final Map<String, Long> until = new ConcurrentHashMap<>();

	private final QueueStore store;

	Outcomes(QueueStore store) {
		this.store = store;
	}

	CompletableFuture<QueuedJob> await(QueuedJob job, Duration timeout) {
		if (job.status().isFinished()) {
			return CompletableFuture.completedFuture(job);
		}
		String key = key(job.type(), job.id());
		CompletableFuture<QueuedJob> shared = this.waiting.computeIfAbsent(key, (k) -> {
			CompletableFuture<QueuedJob> future = new CompletableFuture<>();
			future.whenComplete((result, ex) -> {
				this.waiting.remove(k, future);
				this.until.remove(k);
			});
			return future;
		});
		long end = System.nanoTime() + timeout.toNanos();
		this.until.merge(key, end, (a, b) -> (a - b > 0) ? a : b);
		CompletableFuture<QueuedJob> mine = shared.thenApply((result) -> result);
		return mine.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
	}

	/** This instance ended a job. */
	void ended(QueuedJob job) {
		CompletableFuture<QueuedJob> future = this.waiting.get(key(job.type(), job.id()));
		if (future != null) {
			future.complete(job);
		}
	}

	boolean isEmpty() {
		return this.waiting.isEmpty();
	}

	/** Reads the jobs still waited for, to see the ones other instances ended. */
	void poll() {
		this.waiting.forEach((key, future) -> {
			int split = key.indexOf('\n');
			String type = key.substring(0, split);
			String id = key.substring(split + 1);
			Long end = this.until.get(key);
			if (end == null || System.nanoTime() - end > 0) {
				this.waiting.remove(key, future);
				this.until.remove(key);
				return;
			}
			try {
				Optional<QueuedJob> job = this.store.get(type, id);
				if (job.isEmpty()) {
					future.completeExceptionally(new NoSuchElementException("Queued job '" + type + "' " + id
							+ " no longer exists: finished jobs are kept for tickwork.queues." + type + ".retention"));
				}
				else if (job.get().status().isFinished()) {
					future.complete(job.get());
				}
			}
			catch (RuntimeException ex) {
				// the store is unreachable: try again at the next poll, until the timeout
			}
		});
	}

	private static String key(String type, String id) {
		return type + '\n' + id;
	}

}
