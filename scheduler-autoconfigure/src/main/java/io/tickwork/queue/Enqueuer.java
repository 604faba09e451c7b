package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
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
		String type = request.type();
		QueueStore store = this.engine.store;
		if (!this.engine.sharedStore && !this.handled.test(type)) {
			throw new IllegalArgumentException("No @JobHandler handles job type '" + type + "', and the queue store ("
					+ store.getClass().getSimpleName() + ") is not shared with other instances: nothing would"
					+ " run the job. Known types: "
					+ this.engine.handlers().stream().map(HandlerDefinition::type).sorted().toList());
		}
		String payload;
		try {
			payload = (request.payload() != null) ? this.engine.codec.write(request.payload()) : null;
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Payload of a '" + type + "' job ("
					+ request.payload().getClass().getName() + ") cannot be written as JSON: " + ex.getMessage(), ex);
		}
		// the store keeps milliseconds
		Instant now = this.engine.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		Instant runAt = request.runAt(now).truncatedTo(ChronoUnit.MILLIS);
		String id = (request.id() != null) ? request.id() : UUID.randomUUID().toString();
		QueuedJob job = new QueuedJob(id, type, runAt.isAfter(now) ? Status.DELAYED : Status.READY, payload,
				(request.payload() != null) ? request.payload().getClass().getName() : null, request.priority(), 0,
				request.maxAttempts(), request.timeout(), now, runAt, null, null, null, null, 0);
		QueueStore.EnqueueResult result = store.enqueue(job, this.engine.settings(type).capacity());
		this.enqueuedTypes.add(type);
		if (result.full()) {
			return null;
		}
		if (result.created()) {
			this.engine.observer.enqueued(type);
		}
		return result.id();
	}

}
