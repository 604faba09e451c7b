package io.tickwork.engine;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Dispatcher}'s admission of tasks that are prepared before they wait for a
 * worker (claims sent to the store): none is admitted while {@code claimsAhead} are being
 * prepared or {@code limit} prepared ones wait for a worker or their time, so that an
 * instance takes work ahead of its free workers by that much and no more. Admits on one
 * thread at a time. Thread-safe.
 */
final class Admissions {

	private static final Logger logger = LoggerFactory.getLogger(Admissions.class);

	private final Queue<Admission> waiting = new ConcurrentLinkedQueue<>();

	/** Calls to admit() not yet looked at; the thread that raised it from zero admits. */
	private final AtomicInteger admitting = new AtomicInteger();

	/** Tasks being prepared. */
	private final AtomicInteger preparing = new AtomicInteger();

	/** Tasks prepared and waiting for a worker or for their time. */
	private final AtomicInteger prepared = new AtomicInteger();

	private final int limit;

	private final int claimsAhead;

	private final Consumer<Dispatcher.Task> onPrepared;

	/**
	 * Creates the admissions of a dispatcher.
	 * @param limit most prepared tasks waiting at once
	 * @param claimsAhead most tasks being prepared at once
	 * @param onPrepared receives each prepared task, whose leaving hook frees its place
	 */
	Admissions(int limit, int claimsAhead, Consumer<Dispatcher.Task> onPrepared) {
		this.limit = limit;
		this.claimsAhead = claimsAhead;
		this.onPrepared = onPrepared;
	}

	/** Queues a task to prepare; see {@link Dispatcher#submitPrepared}. */
	void add(Supplier<CompletionStage<Dispatcher.Task>> prepare, Runnable leaving,
			Consumer<RejectedExecutionException> onRejected) {
		this.waiting.add(new Admission(prepare, leaving, onRejected));
		admit();
	}

	/** Removes every task not admitted yet; see {@link Dispatcher#clear}. */
	void clear(Consumer<Consumer<RejectedExecutionException>> consumer) {
		Admission admission;
		while ((admission = this.waiting.poll()) != null) {
			Dispatcher.leave(admission.leaving, admission.onRejected, consumer);
		}
	}

	/** Admits what the bounds allow, on one thread at a time; a call meanwhile makes it look again. */
	private void admit() {
		if (this.admitting.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			while (!this.waiting.isEmpty() && this.preparing.get() < this.claimsAhead
					&& this.prepared.get() < this.limit) {
				Admission admission = this.waiting.poll();
				if (admission == null) {
					break;
				}
				this.preparing.incrementAndGet();
				if (admission.leaving != null) {
					admission.leaving.run();
				}
				CompletionStage<Dispatcher.Task> preparation;
				try {
					preparation = admission.prepare.get();
				}
				catch (Throwable ex) {
					preparation = CompletableFuture.failedFuture(ex);
				}
				preparation.whenComplete(this::prepared);
			}
			missed = this.admitting.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void prepared(Dispatcher.Task task, Throwable failure) {
		if (task == null) {
			// preparations never fail; should one, its admission must not be lost
			this.preparing.decrementAndGet();
			logger.error("Tickwork could not prepare a task", failure);
			admit();
			return;
		}
		this.prepared.incrementAndGet();
		this.preparing.decrementAndGet();
		this.onPrepared.accept(new Dispatcher.Task(task.work(), () -> {
			this.prepared.decrementAndGet();
			if (task.leaving() != null) {
				task.leaving().run();
			}
			admit();
		}, task.onRejected(), task.timed(), task.due()));
	}

	private record Admission(Supplier<CompletionStage<Dispatcher.Task>> prepare, Runnable leaving,
			Consumer<RejectedExecutionException> onRejected) {
	}

}
