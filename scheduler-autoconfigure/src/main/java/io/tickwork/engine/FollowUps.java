package io.tickwork.engine;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs short follow-ups, such as the bookkeeping of executions whose releases a store
 * answered together, one after another on one thread of an executor, so that a burst
 * of them costs one hand-off instead of one each; what one throws is logged and does
 * not stop the others. Thread-safe.
 */
final class FollowUps {

	private static final Logger logger = LoggerFactory.getLogger(FollowUps.class);

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/** Follow-ups queued and not yet looked at; the thread that raised it from zero runs them. */
	private final AtomicInteger signals = new AtomicInteger();

	private final Executor executor;

	FollowUps(Executor executor) {
		this.executor = executor;
	}

	void add(Runnable task) {
		this.tasks.add(task);
		if (this.signals.getAndIncrement() == 0) {
			this.executor.execute(this::runAll);
		}
	}

	private void runAll() {
		int missed = 1;
		do {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				try {
					task.run();
				}
				catch (Throwable ex) {
					logger.error("Tickwork follow-up failed", ex);
				}
			}
			missed = this.signals.addAndGet(-missed);
		}
		while (missed != 0);
	}

}
