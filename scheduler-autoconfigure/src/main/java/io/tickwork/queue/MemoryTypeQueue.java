package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;

/**
 * The sets of one type in the {@link InMemoryQueueStore}: its jobs by id, ready ones by
 * priority and order, delayed, running, dead and finished ones by time. Guarded by the
 * store's lock.
 */
final class MemoryTypeQueue {

	static final Comparator<Entry> BY_PRIORITY = Comparator.<Entry>comparingInt((entry) -> -entry.job.priority())
		.thenComparingLong((entry) -> entry.seq);

	static final Comparator<Entry> BY_TIME = Comparator.<Entry, Instant>comparing((entry) -> entry.time)
		.thenComparingLong((entry) -> entry.seq);

	final Map<String, Entry> entries = new HashMap<>();

	final TreeSet<Entry> ready = new TreeSet<>(BY_PRIORITY);

	final TreeSet<Entry> delayed = new TreeSet<>(BY_TIME);

	final TreeSet<Entry> running = new TreeSet<>(BY_TIME);

	final TreeSet<Entry> dead = new TreeSet<>(BY_TIME);

	final TreeSet<Entry> retained = new TreeSet<>(Comparator.<Entry, Instant>comparing((entry) -> entry.expiresAt)
		.thenComparingLong((entry) -> entry.seq));

	boolean paused;

	long tokens;

	/** The entry of an id, unless it is a finished record past its retention. */
	Entry live(String id, Instant now) {
		while (!this.retained.isEmpty() && !this.retained.first().expiresAt.isAfter(now)) {
			this.entries.remove(this.retained.pollFirst().job.id());
		}
		return this.entries.get(id);
	}

	Entry running(String id, long token) {
		Entry entry = this.entries.get(id);
		return (entry != null && entry.job.status() == Status.RUNNING && entry.job.fencingToken() == token) ? entry
				: null;
	}

	void retain(Entry entry, Instant now, Duration retention) {
		if (retention.isZero() || retention.isNegative()) {
			this.entries.remove(entry.job.id());
			return;
		}
		entry.expiresAt = now.plus(retention);
		this.retained.add(entry);
	}

	static QueuedJob with(QueuedJob job, Status status, Instant scheduledAt, Instant finishedAt, String error) {
		return new QueuedJob(job.id(), job.type(), status, job.payload(), job.payloadType(), job.priority(),
				job.attempts(), job.maxAttempts(), job.timeout(), job.createdAt(), scheduledAt, job.startedAt(), finishedAt,
				error, job.instance(), job.fencingToken());
	}

	/** A job and its place in the type's sets. */
	static final class Entry {

		final long seq;

		QueuedJob job;

		/** When it is due (delayed), its lease expires (running), it was buried (dead). */
		Instant time;

		/** When a finished record is dropped; {@code null} while it lives. */
		Instant expiresAt;

		Entry(QueuedJob job, long seq) {
			this.job = job;
			this.seq = seq;
			this.time = job.scheduledAt();
		}

		void set(Status status) {
			this.job = with(this.job, status, this.job.scheduledAt(), this.job.finishedAt(), this.job.lastError());
		}

	}

}
