package io.tickwork.engine;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Hands tasks to an executor while at most {@code limit} of them run, queueing the rest,
 * so that any executor (a fixed pool or one virtual thread per task) respects
 * {@code max-concurrent} without blocking the ticker. A task may first be prepared
 * without a thread (a claim sent to the store): while {@code limit} prepared tasks wait
 * for a worker, or {@value #CLAIMS_AHEAD_PER_SLOT} times {@code limit} are being
 * prepared, no other is admitted ({@link Admissions}), so an instance takes work ahead of
 * its free workers by that much and no more. A prepared task may also have to wait for its time (a fire
 * handed out ahead of its scheduled time): such tasks wait without a worker in
 * {@link TimedStarts}, whose leader thread runs the first that comes due itself and
 * hands the others to workers. Tasks that hold a slot share the workers' threads:
 * one worker is handed to the executor at a time, it hands over the next only if more
 * tasks wait when it takes its own, and a worker whose task ends takes the next waiting
 * one, so that ten tasks due together wake as many threads as keep up with them, not
 * ten. Thread-safe.
 */
final class Dispatcher {

	/**
	 * Tasks being prepared at once per slot: enough claims in flight to cover a store's
	 * round trip at full speed, few enough that an instance cannot take a burst of fires
	 * away from the rest of its cluster.
	 */
	static final int CLAIMS_AHEAD_PER_SLOT = 8;

	/**
	 * The last stretch of the wait for a task's time, spent spinning: how much longer than
	 * usual a park may oversleep without making the task late.
	 */
	static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

	private final Executor executor;

	private final int limit;

	private final AtomicInteger active = new AtomicInteger();

	private final Queue<Task> queue = new ConcurrentLinkedQueue<>();

	/** Whether a worker was handed to the executor and has not taken a task yet. */
	private final AtomicBoolean starting = new AtomicBoolean();

	/** Tasks that hold a slot and wait for a worker's thread. */
	private final Queue<Task> ready = new ConcurrentLinkedQueue<>();

	/** Tasks prepared before they wait for a worker, admitted within their bounds. */
	private final Admissions admissions;

	private final FollowUps followUps;

	/** Prepared tasks that may not start before their time, and the leader that waits for them. */
	private final TimedStarts timed;

	/** The time source of due times, {@link System#nanoTime()} but in tests. */
	private final LongSupplier nanoTime;

	Dispatcher(Executor executor, int limit) {
		this(executor, limit, System::nanoTime, LockSupport::parkNanos);
	}

	Dispatcher(Executor executor, int limit, LongSupplier nanoTime, LongConsumer park) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		this.executor = executor;
		this.limit = limit;
		this.admissions = new Admissions(limit, (int) Math.min(Integer.MAX_VALUE, (long) limit * CLAIMS_AHEAD_PER_SLOT),
				this::prepared);
		this.nanoTime = nanoTime;
		this.followUps = new FollowUps(this::execute);
		this.timed = new TimedStarts(executor, nanoTime, park, this::startDue, this::queueAll);
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
	 * @param leaving what to do when the task leaves the queue for a free slot, on the
	 * thread that gives it the slot (the submitting one if a slot is free), before it
	 * runs or is rejected; may be {@code null}
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
		this.admissions.add(prepare, leaving, onRejected);
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
	 * Runs a short follow-up, such as the bookkeeping of an execution once its release is
	 * written, on the executor outside the limit. Follow-ups run one after another on one
	 * thread, so that a burst of them, answered together by a store, costs one hand-off
	 * instead of one each; what one throws is logged and does not stop the others.
	 * @param task the follow-up
	 */
	void follow(Runnable task) {
		this.followUps.add(task);
	}

	/**
	 * Removes every task that has not started.
	 * @param consumer receives each removed task's rejection handler
	 */
	void clear(Consumer<Consumer<RejectedExecutionException>> consumer) {
		for (Task task : this.timed.clear()) {
			leave(task.leaving, task.onRejected, consumer);
		}
		this.admissions.clear(consumer);
		Task task;
		while ((task = this.queue.poll()) != null) {
			leave(task.leaving, task.onRejected, consumer);
		}
	}

	/** A task removed before it started: its leaving hook runs, and its rejection handler goes to the consumer. */
	static void leave(Runnable leaving, Consumer<RejectedExecutionException> onRejected,
			Consumer<Consumer<RejectedExecutionException>> consumer) {
		if (leaving != null) {
			leaving.run();
		}
		consumer.accept(onRejected);
	}

	/** Gives queued tasks the free slots, and makes sure a worker is on its way for them. */
	private void drain() {
		fillSlots();
		startWorker();
	}

	/** Gives queued tasks the free slots. */
	private void fillSlots() {
		while (!this.queue.isEmpty()) {
			int current = this.active.get();
			if (current >= this.limit) {
				break;
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
			this.ready.add(task);
		}
	}

	/**
	 * Hands a worker to the executor for the tasks that hold a slot, unless one is on its
	 * way already: the worker starts the next one if more remain when it takes its task.
	 */
	private void startWorker() {
		while (!this.ready.isEmpty() && this.starting.compareAndSet(false, true)) {
			try {
				this.executor.execute(this::work);
				return;
			}
			catch (RejectedExecutionException ex) {
				this.starting.set(false);
				Task task = this.ready.poll();
				if (task != null) {
					this.active.decrementAndGet();
					task.onRejected.accept(ex);
					// its slot goes to the next queued task, which is tried in turn
					fillSlots();
				}
			}
		}
	}

	/** A worker handed to the executor by {@link #startWorker()}. */
	private void work() {
		// cleared before it looks, so that a task added meanwhile starts another worker
		this.starting.set(false);
		run(nextReady());
	}

	/** The next task that holds a slot, or null; another worker is handed over if more wait. */
	private Task nextReady() {
		Task task = this.ready.poll();
		if (task != null && !this.ready.isEmpty()) {
			startWorker();
		}
		return task;
	}

	/** A prepared task: it waits for its time without a worker, or for a worker now. */
	private void prepared(Task task) {
		if (task.timed && task.due - this.nanoTime.getAsLong() > SPIN_NANOS) {
			this.timed.await(task);
		}
		else {
			this.queue.add(task);
			drain();
		}
	}

	/**
	 * Starts timed tasks that came due, on the leader's thread: it runs the first itself
	 * if a slot is free, which spares it a hand-off, and queues the others for workers.
	 */
	private void startDue(List<Task> due) {
		boolean slot = takeSlot();
		for (int i = slot ? 1 : 0; i < due.size(); i++) {
			this.queue.add(due.get(i));
		}
		drain();
		if (slot) {
			Task mine = due.get(0);
			if (mine.leaving != null) {
				mine.leaving.run();
			}
			run(mine);
		}
	}

	/** Queues timed tasks for workers now: no thread could wait for their time. */
	private void queueAll(List<Task> tasks) {
		this.queue.addAll(tasks);
		drain();
	}

	/** The leader's current estimate of how long a park oversleeps, in nanoseconds. */
	long oversleep() {
		return this.timed.oversleep();
	}

	private boolean takeSlot() {
		int current;
		do {
			current = this.active.get();
			if (current >= this.limit) {
				return false;
			}
		}
		while (!this.active.compareAndSet(current, current + 1));
		return true;
	}

	/**
	 * Runs a task on the slot it holds, if any, then, while there are any, the tasks that
	 * hold a slot and wait for a thread, each on its own slot.
	 */
	private void run(Task first) {
		Task task = first;
		try {
			while (task != null) {
				try {
					task.work.run();
				}
				finally {
					this.active.decrementAndGet();
					fillSlots();
				}
				task = nextReady();
			}
		}
		finally {
			// nothing to do after the last task; after a task that threw, the rest go on
			startWorker();
		}
	}

	/**
	 * A task for a worker.
	 * @param work what to run
	 * @param leaving what to do when the task leaves the queue; may be {@code null}
	 * @param onRejected what to do if the executor refuses the task or it is cleared
	 * @param timed whether the task may not start before {@code due}
	 * @param due when a timed task may start, in {@link System#nanoTime()}'s terms
	 */
	record Task(Runnable work, Runnable leaving, Consumer<RejectedExecutionException> onRejected, boolean timed,
			long due) {

		Task(Runnable work, Runnable leaving, Consumer<RejectedExecutionException> onRejected) {
			this(work, leaving, onRejected, false, 0);
		}

	}

}
