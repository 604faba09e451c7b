package io.tickwork.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The operations of one hash slot (or of a standalone Redis) waiting for a call of the
 * {@link LettuceSender}, and its calls in flight. Thread-safe.
 */
final class PipeGroup {

	/** Operations waiting for a call; the sender adds and takes, the deadline keeper reads. */
	final Queue<ScriptOperation> waiting = new ConcurrentLinkedQueue<>();

	final AtomicInteger calls = new AtomicInteger();

	/** Waiting operations that someone waits for: counted before they join, uncounted once taken. */
	final AtomicInteger urgent = new AtomicInteger();

	/** Waiting deferrable operations, counted the same way. */
	final AtomicInteger deferred = new AtomicInteger();

	/** Whether a linger timer is set. */
	final AtomicBoolean lingering = new AtomicBoolean();

	void add(ScriptOperation operation) {
		(operation.deferrable ? this.deferred : this.urgent).incrementAndGet();
		this.waiting.add(operation);
	}

	/**
	 * Whether a call should leave now: an operation that someone waits for waits, enough
	 * deferrable ones wait, the oldest is due, or the pipe closes.
	 */
	boolean isReady(boolean closing) {
		ScriptOperation oldest = this.waiting.peek();
		return oldest != null && (closing || this.urgent.get() > 0
				|| this.deferred.get() >= ScriptPipe.LINGER_BATCH || oldest.sendBy - System.nanoTime() <= 0);
	}

	/** Takes the waiting operations of one call, oldest first, leaving out those no one waits for any more. */
	List<ScriptOperation> take() {
		List<ScriptOperation> batch = new ArrayList<>(ScriptPipe.MAX_BATCH);
		ScriptOperation operation;
		while (batch.size() < ScriptPipe.MAX_BATCH && (operation = this.waiting.poll()) != null) {
			(operation.deferrable ? this.deferred : this.urgent).decrementAndGet();
			if (!operation.result.isDone()) {
				batch.add(operation);
			}
		}
		return batch;
	}

	/** Sends the deferrable operations when the oldest of them is due, unless a call takes them sooner. */
	void sendWhenDue(ScheduledExecutorService timer, Consumer<PipeGroup> send) {
		ScriptOperation oldest = this.waiting.peek();
		if (oldest == null || !this.lingering.compareAndSet(false, true)) {
			return;
		}
		long delay = Math.max(0, oldest.sendBy - System.nanoTime());
		try {
			timer.schedule(() -> {
				this.lingering.set(false);
				send.accept(this);
			}, delay, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			this.lingering.set(false);
		}
	}

}
