package io.tickwork.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.springframework.dao.QueryTimeoutException;

import io.tickwork.QueuedJob;

/**
 * Group commit of enqueues: the jobs that callers enqueue into one type while a call for
 * that type is under way go to Redis together, in the next call, up to {@value #MOST} at a
 * time; each caller waits for its own answer, at most the command timeout. Thread-safe.
 */
final class EnqueueBatches implements AutoCloseable {

	static final int MOST = 128;

	private final Map<String, Type> types = new ConcurrentHashMap<>();

	private final BiFunction<String, List<Pending>, List<?>> sender;

	private final Duration timeout;

	/**
	 * Creates a new instance.
	 * @param sender sends the jobs of a type in one call and answers per job
	 * @param timeout the command timeout
	 */
	EnqueueBatches(BiFunction<String, List<Pending>, List<?>> sender, Duration timeout) {
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
		Pending pending = new Pending(job, capacity);
		Type type = this.types.computeIfAbsent(job.type(), Type::new);
		type.waiting.add(pending);
		type.drainSoon();
		try {
			return pending.answer.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new QueryTimeoutException("Redis did not answer within " + this.timeout.toMillis() + "ms", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new QueryTimeoutException("Interrupted while waiting for Redis", ex);
		}
	}

	@Override
	public void close() {
		this.types.values().forEach((type) -> type.sender.shutdownNow());
	}

	/** A job waiting to be sent, and its answer. */
	record Pending(QueuedJob job, long capacity, CompletableFuture<String> answer) {

		Pending(QueuedJob job, long capacity) {
			this(job, capacity, new CompletableFuture<>());
		}

	}

	/** The jobs waiting for one type, and the thread that sends them. */
	private final class Type {

		final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();

		final AtomicBoolean draining = new AtomicBoolean();

		final ThreadPoolExecutor sender;

		final String name;

		Type(String name) {
			this.name = name;
			this.sender = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (runnable) -> {
				Thread thread = new Thread(runnable, "tickwork-queue-enqueue-" + name);
				thread.setDaemon(true);
				return thread;
			});
			this.sender.allowCoreThreadTimeOut(true);
		}

		void drainSoon() {
			if (this.draining.compareAndSet(false, true)) {
				try {
					this.sender.execute(this::drain);
				}
				catch (java.util.concurrent.RejectedExecutionException ex) {
					this.draining.set(false);
					failAll(new IllegalStateException("The Tickwork queue store is closed"));
				}
			}
		}

		private void drain() {
			while (true) {
				List<Pending> batch = new ArrayList<>();
				for (Pending pending; batch.size() < MOST && (pending = this.waiting.poll()) != null;) {
					if (!pending.answer().isDone()) {
						batch.add(pending);
					}
				}
				if (batch.isEmpty()) {
					this.draining.set(false);
					if (this.waiting.isEmpty() || !this.draining.compareAndSet(false, true)) {
						return;
					}
					continue;
				}
				try {
					List<?> answers = EnqueueBatches.this.sender.apply(this.name, batch);
					for (int i = 0; i < batch.size(); i++) {
						batch.get(i).answer().complete((String) answers.get(i));
					}
				}
				catch (RuntimeException ex) {
					batch.forEach((pending) -> pending.answer().completeExceptionally(ex));
				}
			}
		}

		private void failAll(RuntimeException ex) {
			for (Pending pending; (pending = this.waiting.poll()) != null;) {
				pending.answer().completeExceptionally(ex);
			}
		}

	}

}
