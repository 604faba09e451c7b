package io.tickwork.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import io.tickwork.engine.Dispatcher.Task;

/**
 * Keeps the dispatcher's prepared tasks that may not start before their time (fires won
 * ahead of their scheduled time) without a worker: one leader thread parks until the
 * earliest is due, then hands the due tasks back to the dispatcher on its own thread, so
 * that a fire costs one thread wake-up instead of two (a hand-off, then a timed park).
 * The leader learns how much its parks oversleep and parks that much less, then spins
 * the last few microseconds. Thread-safe.
 */
final class TimedStarts {

	/** Most that the leader's park is shortened by to make up for its oversleeping. */
	static final long MAX_OVERSLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

	/** Most that one park raises the oversleep estimate by, so that a stall barely moves it. */
	static final long OVERSLEEP_STEP_NANOS = TimeUnit.MICROSECONDS.toNanos(1);

	/** Prepared tasks that may not start before their time, earliest first; guarded by itself. */
	private final PriorityQueue<Task> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.due() - b.due(), 0));

	private final Executor executor;

	/** The time source of due times, {@link System#nanoTime()} but in tests. */
	private final LongSupplier nanoTime;

	/** How the leader waits, {@link LockSupport#parkNanos(long)} but in tests. */
	private final LongConsumer park;

	/** Starts tasks that came due, on the leader's thread. */
	private final Consumer<List<Task>> onDue;

	/** Takes tasks for which no leader thread could be had. */
	private final Consumer<List<Task>> onNoThread;

	/** The thread that waits for the earliest waiting task, or null; guarded by waiting. */
	private Thread leader;

	/** Whether a leader was handed to the executor and has not started; guarded by waiting. */
	private boolean leaderRequested;

	/**
	 * How long the leader's timed parks lately overslept at least: the operating system's
	 * timer slack and the thread's wake-up, about 70 µs on Linux. The leader parks that
	 * much less, so that it wakes before its task's time and spins the rest, instead of
	 * waking after it.
	 */
	private volatile long oversleep;

	TimedStarts(Executor executor, LongSupplier nanoTime, LongConsumer park, Consumer<List<Task>> onDue,
			Consumer<List<Task>> onNoThread) {
		this.executor = executor;
		this.nanoTime = nanoTime;
		this.park = park;
		this.onDue = onDue;
		this.onNoThread = onNoThread;
	}

	/** Keeps a task without a worker until its time; the leader waits for the earliest. */
	void await(Task task) {
		Thread wake = null;
		boolean start = false;
		synchronized (this.waiting) {
			this.waiting.add(task);
			if (this.leader == null) {
				if (!this.leaderRequested) {
					this.leaderRequested = true;
					start = true;
				}
			}
			else if (this.waiting.peek() == task) {
				wake = this.leader;
			}
		}
		if (start) {
			startLeader();
		}
		else if (wake != null) {
			LockSupport.unpark(wake);
		}
	}

	/** Removes and answers every waiting task. */
	List<Task> clear() {
		synchronized (this.waiting) {
			List<Task> removed = new ArrayList<>(this.waiting);
			this.waiting.clear();
			return removed;
		}
	}

	/** The leader's current estimate of how long a park oversleeps, in nanoseconds. */
	long oversleep() {
		return this.oversleep;
	}

	private void startLeader() {
		try {
			this.executor.execute(this::lead);
		}
		catch (RejectedExecutionException ex) {
			// no thread to wait on: the waiting tasks go to workers now, who refuse them too
			List<Task> due;
			synchronized (this.waiting) {
				this.leaderRequested = false;
				due = new ArrayList<>(this.waiting);
				this.waiting.clear();
			}
			this.onNoThread.accept(due);
		}
	}

	/**
	 * Waits, as the leader, for the earliest waiting task: parks (an earlier task wakes it)
	 * for the wait less what parks oversleep, then spins the last few microseconds. When
	 * tasks come due, asks for a new leader if more wait, and hands the due tasks to the
	 * dispatcher on this thread. An interrupted leader cannot park: it spins, for at most
	 * the start lead.
	 */
	private void lead() {
		synchronized (this.waiting) {
			this.leaderRequested = false;
			if (this.leader != null) {
				return;
			}
			this.leader = Thread.currentThread();
		}
		List<Task> due = null;
		boolean successor = false;
		while (due == null) {
			long wait;
			synchronized (this.waiting) {
				Task head = this.waiting.peek();
				if (head == null) {
					this.leader = null;
					return;
				}
				wait = head.due() - this.nanoTime.getAsLong();
				if (wait <= 0) {
					due = new ArrayList<>();
					while (head != null && head.due() - this.nanoTime.getAsLong() <= 0) {
						due.add(this.waiting.poll());
						head = this.waiting.peek();
					}
					this.leader = null;
					if (head != null && !this.leaderRequested) {
						this.leaderRequested = true;
						successor = true;
					}
				}
			}
			if (due == null) {
				long sleep = wait - Dispatcher.SPIN_NANOS - this.oversleep;
				if (sleep > 0) {
					park(sleep);
				}
				else {
					Thread.onSpinWait();
				}
			}
		}
		if (successor) {
			startLeader();
		}
		this.onDue.accept(due);
	}

	/**
	 * Parks the leader and learns how much the park overslept: the estimate drops at once
	 * towards a shorter oversleep and rises by at most a microsecond a park, so that it
	 * settles near the shortest ones. A park cut short (a new earlier task, an interrupt)
	 * tells nothing.
	 */
	private void park(long nanos) {
		long start = this.nanoTime.getAsLong();
		this.park.accept(nanos);
		long over = this.nanoTime.getAsLong() - start - nanos;
		if (over >= 0) {
			long estimate = this.oversleep;
			estimate += (over < estimate) ? (over - estimate) / 2
					: Math.min(over - estimate, OVERSLEEP_STEP_NANOS);
			this.oversleep = Math.min(estimate, MAX_OVERSLEEP_NANOS);
		}
	}

}
