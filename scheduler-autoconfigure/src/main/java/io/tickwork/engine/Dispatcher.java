package io.tickwork.engine;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Hands tasks to an executor while at most {@code limit} of them run, queueing the rest,
 * so that any executor (a fixed pool or one virtual thread per task) respects
 * {@code max-concurrent} without blocking the ticker. Thread-safe.
 */
final class Dispatcher {

	private final Executor executor;

	private final int limit;

	private final AtomicInteger active = new AtomicInteger();

	private final Queue<Task> queue = new ConcurrentLinkedQueue<>();

	Dispatcher(Executor executor, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		this.executor = executor;
		this.limit = limit;
	}

	/**
	 * Queues a task.
	 * @param work what to run
	 * @param onRejected what to do if the executor refuses the task
	 */
	void submit(Runnable work, Consumer<RejectedExecutionException> onRejected) {
		submit(work, null, onRejected);
	}

	/**
	 * Queues a task.
	 * @param work what to run
	 * @param leaving what to do when the task leaves the queue, on the thread that hands
	 * it to the executor (the submitting one if a slot is free), before it runs or is
	 * rejected; may be {@code null}
	 * @param onRejected what to do if the executor refuses the task
	 */
	void submit(Runnable work, Runnable leaving, Consumer<RejectedExecutionException> onRejected) {
		this.queue.add(new Task(work, leaving, onRejected));
		drain();
	}

	/**
	 * Runs a short task on the executor at once, outside the limit, or on the calling
	 * thread if the executor refuses it.
	 * @param task the task
	 */
	void execute(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			task.run();
		}
	}

	/**
	 * Removes every task that has not started.
	 * @param consumer receives each removed task's rejection handler
	 */
	void clear(Consumer<Consumer<RejectedExecutionException>> consumer) {
		Task task;
		while ((task = this.queue.poll()) != null) {
			if (task.leaving != null) {
				task.leaving.run();
			}
			consumer.accept(task.onRejected);
		}
	}

	private void drain() {
		while (!this.queue.isEmpty()) {
			int current = this.active.get();
			if (current >= this.limit) {
				return;
			}
			if (!this.active.compareAndSet(current, current + 1)) {
				continue;
			}
			Task task = this.queue.poll();
			if (task == null) {
				this.active.decrementAndGet();
				continue;
			}
			if (task.leaving != null) {
				task.leaving.run();
			}
			try {
				this.executor.execute(() -> run(task));
			}
			catch (RejectedExecutionException ex) {
				this.active.decrementAndGet();
				task.onRejected.accept(ex);
			}
		}
	}

	private void run(Task task) {
		try {
			task.work.run();
		}
		finally {
			this.active.decrementAndGet();
			drain();
		}
	}

	private record Task(Runnable work, Runnable leaving, Consumer<RejectedExecutionException> onRejected) {
	}

}
