package io.tickwork.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.dao.QueryTimeoutException;

import io.tickwork.QueuedJob;

/**
 * Group commit of enqueues: the jobs that callers enqueue into one type while
 * {@value #IN_FLIGHT} calls for that type are under way go to Redis together, in the next
 * call, up to {@value #MOST} at a time. The caller that finds room sends the call itself,
 * without a hand-off to another thread, and each caller waits for its own answer, at most
 * the command timeout. Thread-safe.
 */
final class EnqueueBatches implements AutoCloseable {

	static final int MOST = 128;

	/**
	 * Calls of one type in flight at once: while Redis runs one, the next is on its way,
	 * so that a caller waits about one round trip rather than the rest of another's.
	 */
	static final int IN_FLIGHT = 2;

	private final Map<String, Type> types = new ConcurrentHashMap<>();

	private final Sender sender;

	private final Duration timeout;

	private volatile boolean closed;

	/**
	 * Creates a new instance.
	 * @param sender sends the jobs of a type in one call and answers per job, without
	 * blocking when it can
	 * @param timeout the command timeout
	 */
	EnqueueBatches(Sender sender, Duration timeout) {
		this.sender = sender;
		this.timeout = timeout;
	}

	/**
	 * Enqueues a job with the others waiting and returns the answer for it.
	 * @param job the job
	 * @param capacity the type's capacity
	 * @return {@code C} created, {@code X} exists, {@code F} full
	 */
	String enqueue(QueuedJob job, long capacity) {
		Pending pending = submit(job, capacity);
		try {
			return pending.answer.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			pending.answer.cancel(false);
			throw timedOut(ex);
		}
		catch (ExecutionException ex) {
			throw failure(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			pending.answer.cancel(false);
			throw new QueryTimeoutException("Interrupted while waiting for Redis", ex);
		}
	}

	/**
	 * Enqueues a job with the others waiting without waiting for its answer, which fails
	 * after the command timeout at the latest.
	 * @param job the job
	 * @param capacity the type's capacity
	 * @return {@code C} created, {@code X} exists, {@code F} full, to come
	 */
	CompletableFuture<String> enqueueAsync(QueuedJob job, long capacity) {
		Pending pending;
		try {
			pending = submit(job, capacity);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return pending.answer.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS).handle((answer, ex) -> {
			if (ex != null) {
				throw failure(ex);
			}
			return answer;
		});
	}

	private Pending submit(QueuedJob job, long capacity) {
		if (this.closed) {
			throw new IllegalStateException("The Tickwork queue store is closed");
		}
		Pending pending = new Pending(job, capacity, System.nanoTime() + this.timeout.toNanos());
		Type type = this.types.computeIfAbsent(job.type(), Type::new);
		type.waiting.add(pending);
		type.sendWaiting();
		return pending;
	}

	private QueryTimeoutException timedOut(Throwable cause) {
		return new QueryTimeoutException("Redis did not answer within " + this.timeout.toMillis() + "ms", cause);
	}

	private RuntimeException failure(Throwable cause) {
		if (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof TimeoutException) {
			return timedOut(cause);
		}
		return (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
	}

	@Override
	public void close() {
		this.closed = true;
		RuntimeException closed = new IllegalStateException("The Tickwork queue store is closed");
		this.types.values().forEach((type) -> {
			for (Pending pending; (pending = type.waiting.poll()) != null;) {
				pending.answer().completeExceptionally(closed);
			}
		});
	}

	/** Sends the jobs of a type in one call. */
	@FunctionalInterface
	interface Sender {

		/**
		 * Sends the jobs of a type in one call, without blocking when it can.
		 * @param type the type
		 * @param batch the jobs
		 * @param timeout how long the call may take: it fails and is cancelled after it
		 * @return one answer per job, to come
		 */
		CompletableFuture<List<?>> send(String type, List<Pending> batch, Duration timeout);

	}

	/** A job waiting to be sent, its caller's deadline ({@link System#nanoTime()}), and its answer. */
	record Pending(QueuedJob job, long capacity, long deadline, CompletableFuture<String> answer) {

		Pending(QueuedJob job, long capacity, long deadline) {
			this(job, capacity, deadline, new CompletableFuture<>());
		}

	}

	/** The jobs waiting for one type, and its calls in flight. */
	private final class Type {

		final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();

		final AtomicInteger calls = new AtomicInteger();

		final String name;

		Type(String name) {
			this.name = name;
		}

		/**
		 * Sends what waits, a call per {@value #MOST} jobs, while fewer than
		 * {@value #IN_FLIGHT} calls are in flight; the end of a call sends what waited for it.
		 */
		void sendWaiting() {
			while (!this.waiting.isEmpty()) {
				int calls = this.calls.get();
				if (calls >= IN_FLIGHT) {
					return;
				}
				if (!this.calls.compareAndSet(calls, calls + 1)) {
					continue;
				}
				List<Pending> batch = new ArrayList<>();
				long now = System.nanoTime();
				for (Pending pending; batch.size() < MOST && (pending = this.waiting.poll()) != null;) {
					if (pending.deadline() - now <= 0) {
						// its caller gives up now: it is not sent
						pending.answer().completeExceptionally(new TimeoutException());
					}
					else if (!pending.answer().isDone()) {
						batch.add(pending);
					}
				}
				if (batch.isEmpty()) {
					this.calls.decrementAndGet();
					continue;
				}
				send(batch);
			}
		}

		/** Sends a call that lasts no longer than its first (oldest) caller waits. */
		private void send(List<Pending> batch) {
			CompletableFuture<List<?>> sent;
			try {
				Duration left = Duration.ofNanos(Math.max(1, batch.get(0).deadline() - System.nanoTime()));
				sent = EnqueueBatches.this.sender.send(this.name, batch, left);
			}
			catch (RuntimeException ex) {
				sent = CompletableFuture.failedFuture(ex);
			}
			sent.whenComplete((answers, ex) -> {
				if (ex != null) {
					batch.forEach((pending) -> pending.answer().completeExceptionally(ex));
				}
				else {
					for (int i = 0; i < batch.size(); i++) {
						batch.get(i).answer().complete((String) answers.get(i));
					}
				}
				this.calls.decrementAndGet();
				sendWaiting();
			});
		}

	}

}
