package io.tickwork.engine;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hands tasks to an executor while at most {@code limit} of them run, queueing the rest,
 * so that any executor (a fixed pool or one virtual thread per task) respects
 * {@code max-concurrent} without blocking the ticker. A task may first be prepared
 * without a thread (a claim sent to the store): at most {@code limit} tasks are being
 * prepared or wait for a worker once prepared, so an instance takes work ahead of its
 * free workers by that much and no more. Thread-safe.
 */
final class Dispatcher {

	private final Executor executor;

	private final int limit;

	private final AtomicInteger active = new AtomicInteger();

	private final Queue<Task> queue = new ConcurrentLinkedQueue<>();

	/** Tasks being prepared or, once prepared, waiting for a worker. */
	private final AtomicInteger admitted = new AtomicInteger();

	private final Queue<Admission> admissions = new ConcurrentLinkedQueue<>();

	/** Calls to admit() not yet looked at; the thread that raised it from zero admits. */
	private final AtomicInteger admitting = new AtomicInteger();

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
	 * Queues a task that is prepared before it waits for a worker.
	 * @param prepare starts the preparation on the admitting thread, which it must not
	 * block, and yields the task to run; never fails
	 * @param leaving what to do when the task is admitted, on the admitting thread; may
	 * be {@code null}
	 * @param onRejected what to do if the task is cleared before it is admitted
	 */
	void submitPrepared(Supplier<CompletionStage<Task>> prepare, Runnable leaving,
			Consumer<RejectedExecutionException> onRejected) {
		this.admissions.add(new Admission(prepare, leaving, onRejected));
		admit();
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
		Admission admission;
		while ((admission = this.admissions.poll()) != null) {
			if (admission.leaving != null) {
				admission.leaving.run();
			}
			consumer.accept(admission.onRejected);
		}
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

	/** Admits what the limit allows, on one thread at a time; a call meanwhile makes it look again. */
	private void admit() {
		if (this.admitting.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			while (!this.admissions.isEmpty() && this.admitted.get() < this.limit) {
				Admission admission = this.admissions.poll();
				if (admission == null) {
					break;
				}
				this.admitted.incrementAndGet();
				if (admission.leaving != null) {
					admission.leaving.run();
				}
				admission.prepare.get().thenAccept((task) -> submit(task.work, () -> {
					this.admitted.decrementAndGet();
					if (task.leaving != null) {
						task.leaving.run();
					}
					admit();
				}, task.onRejected));
			}
			missed = this.admitting.addAndGet(-missed);
		}
		while (missed != 0);
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

	/**
	 * A task for a worker.
	 * @param work what to run
	 * @param leaving what to do when the task leaves the queue; may be {@code null}
	 * @param onRejected what to do if the executor refuses the task or it is cleared
	 */
	record Task(Runnable work, Runnable leaving, Consumer<RejectedExecutionException> onRejected) {
	}

	private record Admission(Supplier<CompletionStage<Task>> prepare, Runnable leaving,
			Consumer<RejectedExecutionException> onRejected) {
	}

}
