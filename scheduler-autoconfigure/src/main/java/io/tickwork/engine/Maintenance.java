package io.tickwork.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stores' maintenance tasks (flushing buffered writes, finding abandoned
 * executions) on the keeper thread, at most once per lock time to live, never two at
 * once. The ticker calls it after each tick. Thread-safe.
 */
final class Maintenance implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(Maintenance.class);

	private final List<Consumer<Set<String>>> tasks;

	private final Executor keeper;

	private final Supplier<Set<String>> jobNames;

	private final long everyNanos;

	private final AtomicBoolean maintaining = new AtomicBoolean();

	/** Only the ticker thread reads and writes it. */
	private long nextMaintenance = System.nanoTime();

	Maintenance(List<Consumer<Set<String>>> tasks, Executor keeper, Supplier<Set<String>> jobNames, Duration every) {
		this.tasks = List.copyOf(tasks);
		this.keeper = keeper;
		this.jobNames = jobNames;
		this.everyNanos = every.toNanos();
	}

	/** Hands the tasks to the keeper thread if they are due and none is running. */
	@Override
	public void run() {
		long now = System.nanoTime();
		if (this.tasks.isEmpty() || now - this.nextMaintenance < 0 || !this.maintaining.compareAndSet(false, true)) {
			return;
		}
		this.nextMaintenance = now + this.everyNanos;
		try {
			this.keeper.execute(() -> {
				try {
					Set<String> names = this.jobNames.get();
					for (Consumer<Set<String>> task : this.tasks) {
						task.accept(names);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Tickwork maintenance failed: {}", ex.toString());
				}
				finally {
					this.maintaining.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.maintaining.set(false);
		}
	}

}
