package io.tickwork.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;
import io.tickwork.queue.MemoryTypeQueue.Entry;

import static io.tickwork.queue.MemoryTypeQueue.with;

/**
 * A {@link QueueStore} in this JVM's memory: for one instance, and lost with it. Every
 * operation holds the store's lock. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class InMemoryQueueStore implements QueueStore {

	private final Clock clock;

	private final Map<String, MemoryTypeQueue> queues = new HashMap<>();

	private final List<BiConsumer<String, Instant>> listeners = new CopyOnWriteArrayList<>();

	private long seq;

	/**
	 * Creates a store whose finished records expire by the system clock.
	 */
	public InMemoryQueueStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates a store whose finished records expire by a clock.
	 * @param clock the clock
	 */
	public InMemoryQueueStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public EnqueueResult enqueue(QueuedJob job, long capacity) {
		Instant wake;
		synchronized (this) {
			MemoryTypeQueue queue = queue(job.type());
			Entry existing = queue.live(job.id(), this.clock.instant());
			if (existing != null) {
				return new EnqueueResult(job.id(), false, false);
			}
			if (queue.ready.size() + queue.delayed.size() >= capacity) {
				return new EnqueueResult(job.id(), false, true);
			}
			Entry entry = new Entry(job, ++this.seq);
			queue.entries.put(job.id(), entry);
			if (job.status() == Status.DELAYED) {
				entry.time = job.scheduledAt();
				queue.delayed.add(entry);
				wake = (queue.delayed.first() == entry) ? job.scheduledAt() : Instant.MAX;
			}
			else {
				queue.ready.add(entry);
				wake = null;
			}
		}
		notify(job.type(), wake);
		return new EnqueueResult(job.id(), true, false);
	}

	@Override
	public synchronized Claim claim(String type, String instance, int max, Instant now, Duration lease,
			int defaultMaxAttempts, List<Map.Entry<String, Long>> succeeded, Duration retention) {
		Set<String> lostAcks = new HashSet<>();
		for (Map.Entry<String, Long> ack : succeeded) {
			if (!succeed(type, ack.getKey(), ack.getValue(), now, retention)) {
				lostAcks.add(ack.getKey());
			}
		}
		MemoryTypeQueue queue = queue(type);
		while (!queue.delayed.isEmpty() && !queue.delayed.first().time.isAfter(now)) {
			Entry entry = queue.delayed.pollFirst();
			entry.set(Status.READY);
			queue.ready.add(entry);
		}
		List<QueuedJob> abandoned = new ArrayList<>();
		while (!queue.running.isEmpty() && queue.running.first().time.isBefore(now)) {
			Entry entry = queue.running.pollFirst();
			QueuedJob lost = entry.job;
			int allowed = (lost.maxAttempts() > 0) ? lost.maxAttempts() : defaultMaxAttempts;
			String error = "attempt " + lost.attempts() + " abandoned: the lease of instance '" + lost.instance()
					+ "' expired at " + entry.time;
			if (lost.attempts() >= allowed) {
				entry.job = with(lost, Status.DEAD, lost.scheduledAt(), now, error);
				entry.time = now;
				queue.dead.add(entry);
			}
			else {
				entry.job = with(lost, Status.READY, now, null, error);
				queue.ready.add(entry);
			}
			abandoned.add(entry.job);
		}
		List<Delivery> delivered = new ArrayList<>();
		while (!queue.paused && delivered.size() < max && !queue.ready.isEmpty()) {
			Entry entry = queue.ready.pollFirst();
			QueuedJob job = entry.job;
			entry.job = new QueuedJob(job.id(), job.type(), Status.RUNNING, job.payload(), job.payloadType(),
					job.priority(), job.attempts() + 1, job.maxAttempts(), job.timeout(), job.createdAt(),
					job.scheduledAt(), now, null, job.lastError(), instance, ++queue.tokens);
			entry.time = now.plus(lease);
			queue.running.add(entry);
			delivered.add(new Delivery(entry.job, entry.time));
		}
		Instant next = null;
		if (!queue.delayed.isEmpty()) {
			next = queue.delayed.first().time;
		}
		if (!queue.running.isEmpty() && (next == null || queue.running.first().time.isBefore(next))) {
			next = queue.running.first().time;
		}
		return new Claim(delivered, abandoned, next, queue.paused, lostAcks);
	}

	@Override
	public synchronized Set<String> extend(String type, Map<String, Long> tokens, Instant until) {
		MemoryTypeQueue queue = queue(type);
		Set<String> lost = new HashSet<>();
		tokens.forEach((id, token) -> {
			Entry entry = queue.running(id, token);
			if (entry == null) {
				lost.add(id);
			}
			else {
				queue.running.remove(entry);
				entry.time = until;
				queue.running.add(entry);
			}
		});
		return lost;
	}

	@Override
	public synchronized boolean succeed(String type, String id, long token, Instant now, Duration retention) {
		MemoryTypeQueue queue = queue(type);
		Entry entry = queue.running(id, token);
		if (entry == null) {
			return false;
		}
		queue.running.remove(entry);
		entry.job = with(entry.job, Status.SUCCEEDED, entry.job.scheduledAt(), now, entry.job.lastError());
		queue.retain(entry, now, retention);
		return true;
	}

	@Override
	public boolean retry(String type, String id, long token, Instant at, String error) {
		Instant wake;
		synchronized (this) {
			MemoryTypeQueue queue = queue(type);
			Entry entry = queue.running(id, token);
			if (entry == null) {
				return false;
			}
			queue.running.remove(entry);
			entry.job = with(entry.job, Status.DELAYED, at, null, error);
			entry.time = at;
			queue.delayed.add(entry);
			wake = (queue.delayed.first() == entry) ? at : Instant.MAX;
		}
		notify(type, wake);
		return true;
	}

	@Override
	public synchronized boolean bury(String type, String id, long token, Instant now, String error, int maxDead) {
		MemoryTypeQueue queue = queue(type);
		Entry entry = queue.running(id, token);
		if (entry == null) {
			return false;
		}
		queue.running.remove(entry);
		entry.job = with(entry.job, Status.DEAD, entry.job.scheduledAt(), now, error);
		entry.time = now;
		queue.dead.add(entry);
		while (queue.dead.size() > maxDead) {
			queue.entries.remove(queue.dead.pollFirst().job.id());
		}
		return true;
	}

	@Override
	public boolean release(String type, String id, long token) {
		synchronized (this) {
			MemoryTypeQueue queue = queue(type);
			Entry entry = queue.running(id, token);
			if (entry == null) {
				return false;
			}
			queue.running.remove(entry);
			QueuedJob job = entry.job;
			entry.job = new QueuedJob(job.id(), job.type(), Status.READY, job.payload(), job.payloadType(),
					job.priority(), job.attempts() - 1, job.maxAttempts(), job.timeout(), job.createdAt(),
					job.scheduledAt(), null, null, job.lastError(), job.instance(), job.fencingToken());
			queue.ready.add(entry);
		}
		notify(type, null);
		return true;
	}

	@Override
	public synchronized Optional<QueuedJob> get(String type, String id) {
		Entry entry = queue(type).live(id, this.clock.instant());
		return (entry != null) ? Optional.of(entry.job) : Optional.empty();
	}

	@Override
	public synchronized boolean cancel(String type, String id, Instant now, Duration retention) {
		MemoryTypeQueue queue = queue(type);
		Entry entry = queue.live(id, now);
		if (entry == null || (entry.job.status() != Status.READY && entry.job.status() != Status.DELAYED)) {
			return false;
		}
		queue.ready.remove(entry);
		queue.delayed.remove(entry);
		entry.job = with(entry.job, Status.CANCELLED, entry.job.scheduledAt(), now, entry.job.lastError());
		queue.retain(entry, now, retention);
		return true;
	}

	@Override
	public synchronized Counts counts(String type) {
		MemoryTypeQueue queue = queue(type);
		return new Counts(queue.ready.size(), queue.delayed.size(), queue.running.size(), queue.dead.size(),
				queue.paused);
	}

	@Override
	public synchronized List<QueuedJob> deadLetters(String type, int limit) {
		List<QueuedJob> jobs = new ArrayList<>();
		Iterator<Entry> latest = queue(type).dead.descendingIterator();
		while (jobs.size() < limit && latest.hasNext()) {
			jobs.add(latest.next().job);
		}
		return jobs;
	}

	@Override
	public boolean requeue(String type, String id, Instant now) {
		synchronized (this) {
			MemoryTypeQueue queue = queue(type);
			Entry entry = queue.entries.get(id);
			if (entry == null || entry.job.status() != Status.DEAD) {
				return false;
			}
			queue.dead.remove(entry);
			QueuedJob job = entry.job;
			entry.job = new QueuedJob(job.id(), job.type(), Status.READY, job.payload(), job.payloadType(),
					job.priority(), 0, job.maxAttempts(), job.timeout(), job.createdAt(), now, null, null,
					job.lastError(), job.instance(), job.fencingToken());
			queue.ready.add(entry);
		}
		notify(type, null);
		return true;
	}

	@Override
	public synchronized boolean deleteDead(String type, String id, Instant olderThan) {
		MemoryTypeQueue queue = queue(type);
		while (!queue.dead.isEmpty() && queue.dead.first().time.isBefore(olderThan)) {
			queue.entries.remove(queue.dead.pollFirst().job.id());
		}
		Entry entry = (id != null) ? queue.entries.get(id) : null;
		if (entry == null || entry.job.status() != Status.DEAD) {
			return false;
		}
		queue.dead.remove(entry);
		queue.entries.remove(id);
		return true;
	}

	@Override
	public void setPaused(String type, boolean paused) {
		synchronized (this) {
			queue(type).paused = paused;
		}
		if (!paused) {
			notify(type, null);
		}
	}

	@Override
	public synchronized Set<String> types() {
		return new TreeSet<>(this.queues.keySet());
	}

	@Override
	public void onWork(BiConsumer<String, Instant> listener) {
		this.listeners.add(listener);
	}

	private void notify(String type, Instant due) {
		if (due == Instant.MAX) {
			return;
		}
		for (BiConsumer<String, Instant> listener : this.listeners) {
			listener.accept(type, due);
		}
	}

	private MemoryTypeQueue queue(String type) {
		return this.queues.computeIfAbsent(type, (key) -> new MemoryTypeQueue());
	}

}
