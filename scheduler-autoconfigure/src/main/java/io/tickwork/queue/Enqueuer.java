package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.tickwork.JobRequest;
import io.tickwork.QueueFullException;
import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;

/**
 * Turns a {@link JobRequest} into a job in the store: checks that something will run it,
 * writes its payload, and waits for room if asked to.
 */
final class Enqueuer {

	/** Requests of a list sent before their answers are read. */
	private static final int CHUNK = 1024;

	private final QueueEngine engine;

	private final Predicate<String> handled;

	private final Set<String> enqueuedTypes;

	Enqueuer(QueueEngine engine, Predicate<String> handled, Set<String> enqueuedTypes) {
		this.engine = engine;
		this.handled = handled;
		this.enqueuedTypes = enqueuedTypes;
	}

	/** Enqueues, waiting up to {@code waitIfFull} for room ({@code null}: not at all). */
	String enqueue(JobRequest request, Duration waitIfFull) {
		long deadline = System.nanoTime() + ((waitIfFull != null) ? waitIfFull.toNanos() : 0);
		long nap = 1;
		while (true) {
			String id = offer(request);
			if (id != null) {
				return id;
			}
			if (waitIfFull == null || System.nanoTime() - deadline > 0) {
				throw full(request);
			}
			try {
				Thread.sleep(Math.min(nap, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw full(request);
			}
			nap = Math.min(nap * 2, 100);
		}
	}

	private QueueFullException full(JobRequest request) {
		return new QueueFullException(request.type(), this.engine.settings(request.type()).capacity());
	}

	/** Enqueues; {@code null} if the type is full. */
	String offer(JobRequest request) {
		QueuedJob job = prepare(request, "");
		QueueStore.EnqueueResult result = this.engine.store.enqueue(job, this.engine.settings(job.type()).capacity());
		return enqueued(job.type(), result) ? result.id() : null;
	}

	/**
	 * Enqueues a list: checks every request, sends them all without waiting for each
	 * (a chunk at a time, so that each waits no longer than the store's command timeout
	 * for its call), then reads the answers.
	 */
	List<String> enqueueAll(List<JobRequest> requests) {
		List<QueuedJob> jobs = new ArrayList<>(requests.size());
		for (int i = 0; i < requests.size(); i++) {
			jobs.add(prepare(requests.get(i), "Request " + i + " of enqueueAll: "));
		}
		List<String> ids = new ArrayList<>(jobs.size());
		Map<String, List<String>> refused = new LinkedHashMap<>();
		RuntimeException failure = null;
		for (int from = 0; from < jobs.size(); from += CHUNK) {
			List<QueuedJob> chunk = jobs.subList(from, Math.min(jobs.size(), from + CHUNK));
			List<CompletableFuture<QueueStore.EnqueueResult>> answers = new ArrayList<>(chunk.size());
			for (QueuedJob job : chunk) {
				answers.add(this.engine.store.enqueueAsync(job, this.engine.settings(job.type()).capacity()));
			}
			for (int i = 0; i < chunk.size(); i++) {
				QueuedJob job = chunk.get(i);
				try {
					QueueStore.EnqueueResult result = answers.get(i).join();
					if (!enqueued(job.type(), result)) {
						refused.computeIfAbsent(job.type(), (type) -> new ArrayList<>()).add(job.id());
					}
				}
				catch (java.util.concurrent.CompletionException ex) {
					if (failure == null) {
						failure = (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
					}
				}
				ids.add(job.id());
			}
		}
		if (failure != null) {
			throw failure;
		}
		if (!refused.isEmpty()) {
			Map.Entry<String, List<String>> first = refused.entrySet().iterator().next();
			throw new QueueFullException(first.getKey(), this.engine.settings(first.getKey()).capacity(),
					refused.values().stream().flatMap(List::stream).toList());
		}
		return ids;
	}

	/** Counts an answer; whether the job is in the store (new or existing). */
	private boolean enqueued(String type, QueueStore.EnqueueResult result) {
		if (result.full()) {
			return false;
		}
		if (result.created()) {
			this.engine.observer.enqueued(type);
		}
		return true;
	}

	/** A request as a new job, once checked; {@code where} starts the message of what it throws. */
	private QueuedJob prepare(JobRequest request, String where) {
		String type = request.type();
		QueueStore store = this.engine.store;
		if (!this.engine.sharedStore && !this.handled.test(type)) {
			throw new IllegalArgumentException(where + "No @JobHandler handles job type '" + type + "', and the queue"
					+ " store (" + store.getClass().getSimpleName() + ") is not shared with other instances: nothing"
					+ " would run the job. Known types: "
					+ this.engine.handlers().stream().map(HandlerDefinition::type).sorted().toList());
		}
		String payload;
		try {
			payload = (request.payload() != null) ? this.engine.codec.write(request.payload()) : null;
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(where + "Payload of a '" + type + "' job ("
					+ request.payload().getClass().getName() + ") cannot be written as JSON: " + ex.getMessage(), ex);
		}
		// the store keeps milliseconds
		Instant now = this.engine.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		Instant runAt = request.runAt(now).truncatedTo(ChronoUnit.MILLIS);
		String id = (request.id() != null) ? request.id() : UUID.randomUUID().toString();
		this.enqueuedTypes.add(type);
		return new QueuedJob(id, type, runAt.isAfter(now) ? Status.DELAYED : Status.READY, payload,
				(request.payload() != null) ? request.payload().getClass().getName() : null, request.priority(), 0,
				request.maxAttempts(), request.timeout(), now, runAt, null, null, null, null, 0);
	}

}
