package io.tickwork.redis;

import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.tickwork.JobExecution;

/**
 * Execution records that could not be written to Redis, kept in order up to a bound and
 * written when Redis answers again: before the next record, on the engine's maintenance
 * pass, and as soon as Redis answers any call. What the bound drops is counted and
 * logged. Thread-safe.
 */
final class HistoryBuffer {

	private static final Log logger = LogFactory.getLog(HistoryBuffer.class);

	private final ArrayDeque<JobExecution> buffer = new ArrayDeque<>();

	private final AtomicLong dropped = new AtomicLong();

	private final int bound;

	/** Writes one record and waits for it, or throws. */
	private final Consumer<JobExecution> writer;

	/** Sends one record without waiting: the stage fails if Redis could not take it. */
	private final Function<JobExecution, CompletionStage<?>> sender;

	private final AtomicBoolean flushing = new AtomicBoolean();

	private final ExecutorService flusher = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "tickwork-redis-flush");
		thread.setDaemon(true);
		return thread;
	});

	HistoryBuffer(int bound, Consumer<JobExecution> writer, Function<JobExecution, CompletionStage<?>> sender) {
		this.bound = bound;
		this.writer = writer;
		this.sender = sender;
	}

	/** Writes a record after the buffered ones, or buffers it if Redis cannot be reached. */
	void record(JobExecution execution) {
		try {
			flush();
			this.writer.accept(execution);
		}
		catch (RuntimeException ex) {
			buffer(execution, ex);
		}
	}

	/**
	 * Sends a record without waiting for it, so that a node that does not answer holds up
	 * no caller; buffers it if Redis cannot take it. While records wait in the buffer, a
	 * new one joins them, to be written in order.
	 */
	void recordWithoutWaiting(JobExecution execution) {
		if (size() > 0) {
			buffer(execution, null);
			redisAnswered();
			return;
		}
		CompletionStage<?> sent;
		try {
			sent = this.sender.apply(execution);
		}
		catch (RuntimeException ex) {
			buffer(execution, ex);
			return;
		}
		sent.whenComplete((written, ex) -> {
			if (ex != null) {
				buffer(execution, (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex);
			}
		});
	}

	private void buffer(JobExecution execution, Throwable cause) {
		synchronized (this.buffer) {
			if (this.buffer.size() >= this.bound) {
				this.buffer.removeFirst();
				long total = this.dropped.incrementAndGet();
				if (total == 1 || total % 1000 == 0) {
					logger.error("Redis is unreachable and the history buffer is full (" + this.bound + " records): "
							+ total + " execution record(s) dropped so far");
				}
			}
			if (this.buffer.isEmpty() && cause != null) {
				logger.warn("Redis is unreachable; buffering execution records until it returns: " + cause);
			}
			this.buffer.addLast(execution);
		}
	}

	/** Writes buffered records while Redis answers; throws if it does not. */
	void flush() {
		while (true) {
			JobExecution execution;
			synchronized (this.buffer) {
				execution = this.buffer.peekFirst();
			}
			if (execution == null) {
				return;
			}
			this.writer.accept(execution);
			synchronized (this.buffer) {
				if (this.buffer.peekFirst() == execution) {
					this.buffer.removeFirst();
					if (this.buffer.isEmpty()) {
						logger.info("Redis is back; buffered execution records written");
					}
				}
			}
		}
	}

	/** Redis answered a call: writes the buffered records on a thread of the buffer's own. */
	void redisAnswered() {
		if (size() == 0 || !this.flushing.compareAndSet(false, true)) {
			return;
		}
		try {
			this.flusher.execute(() -> {
				try {
					flush();
				}
				catch (RuntimeException ex) {
					// Redis is away again: the next answer tries again
				}
				finally {
					this.flushing.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.flushing.set(false);
		}
	}

	int size() {
		synchronized (this.buffer) {
			return this.buffer.size();
		}
	}

	long dropped() {
		return this.dropped.get();
	}

	void close() {
		this.flusher.shutdown();
	}

}
