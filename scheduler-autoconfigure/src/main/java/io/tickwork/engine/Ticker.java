package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when: keeps the timed actions (attempt deadlines, retries, the next look at a
 * held lock) and the jobs' armed fires in two heaps, and one ticker thread that sleeps
 * until the earliest is due, the next lease renewal is, or the tick interval passes,
 * then runs what is due. Fires are handed out up to the start lead before their time.
 * Thread-safe; the heaps and every job's armed timer are guarded by one lock.
 */
final class Ticker {

	private static final Logger logger = LoggerFactory.getLogger(Ticker.class);

	private final EngineClock clock;

	private final Lifecycle lifecycle;

	private final Duration tickInterval;

	private final long startLeadNanos;

	private final long standbyNanos;

	/** Turns a due fire timer into a fire. */
	private final BiConsumer<Job, Instant> onFireDue;

	private final LeaseKeeper leases;

	/** Runs after each tick on the ticker thread. */
	private final Runnable afterTick;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	/** Deadlines, retries and other timed actions, run when due. */
	private final TimerHeap timers = new TimerHeap();

	/** Scheduled fires, handed out up to the start lead before they are due. */
	private final TimerHeap fireTimers = new TimerHeap();

	private long sequence;

	private Thread thread;

	Ticker(EngineClock clock, Lifecycle lifecycle, Duration tickInterval, long startLeadNanos, long standbyNanos,
			BiConsumer<Job, Instant> onFireDue, LeaseKeeper leases, Runnable afterTick) {
		this.clock = clock;
		this.lifecycle = lifecycle;
		this.tickInterval = tickInterval;
		this.startLeadNanos = startLeadNanos;
		this.standbyNanos = standbyNanos;
		this.onFireDue = onFireDue;
		this.leases = leases;
		this.afterTick = afterTick;
	}

	/** Starts the ticker thread. */
	void startThread() {
		// Not a daemon: like Spring's scheduler threads, it keeps a worker application alive.
		this.thread = new Thread(this::loop, "tickwork-ticker");
		this.thread.start();
	}

	/** Waits up to five seconds for the ticker thread to end, unless it is the caller. */
	void joinThread() {
		if (this.thread != null && this.thread != Thread.currentThread()) {
			try {
				this.thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.thread = null;
	}

	private void loop() {
		while (this.lifecycle.isTicking()) {
			try {
				tick(this.startLeadNanos);
				this.afterTick.run();
				awaitNext();
			}
			catch (Throwable ex) {
				logger.error("Tickwork ticker failed; it goes on", ex);
			}
		}
	}

	private void awaitNext() throws InterruptedException {
		this.lock.lock();
		try {
			if (!this.lifecycle.isTicking()) {
				return;
			}
			long wait = this.tickInterval.toNanos();
			Timer head = this.timers.peek();
			if (head != null) {
				wait = Math.min(wait, this.clock.nanosUntil(head.due));
			}
			Timer fireHead = this.fireTimers.peek();
			if (fireHead != null) {
				wait = Math.min(wait, this.clock.nanosUntil(fireHead.due) - this.startLeadNanos);
			}
			Instant renewal = this.leases.nextRenewal();
			if (renewal != null) {
				wait = Math.min(wait, this.clock.nanosUntil(renewal));
			}
			if (wait > 0) {
				this.changed.awaitNanos(wait);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Runs the timed actions that are due, hands out the fires due within the lead, and
	 * the lease renewals that are due.
	 * @param leadNanos how early fires are handed out: their workers wait for the
	 * scheduled time, so that the hand-off is not part of the start's lateness
	 */
	void tick(long leadNanos) {
		Instant now = this.clock.now();
		List<Timer> due = null;
		this.lock.lock();
		try {
			due = pollDue(this.timers, now, due);
			due = pollDue(this.fireTimers, now.plusNanos(leadNanos), due);
		}
		finally {
			this.lock.unlock();
		}
		if (due != null) {
			for (Timer timer : due) {
				try {
					if (timer.job != null) {
						this.onFireDue.accept(timer.job, timer.fire);
					}
					else {
						timer.action.run();
					}
				}
				catch (Throwable ex) {
					logger.error("Tickwork timed action failed", ex);
				}
			}
		}
		this.leases.renewDue(now);
	}

	private static List<Timer> pollDue(TimerHeap timers, Instant horizon, List<Timer> due) {
		while (!timers.isEmpty() && !timers.peek().due.isAfter(horizon)) {
			Timer timer = timers.poll();
			if (timer.isLive()) {
				if (due == null) {
					due = new ArrayList<>();
				}
				due.add(timer);
			}
		}
		return due;
	}

	/**
	 * Runs an action on the ticker thread once it is due.
	 * @return the timer, which {@link #cancel(Timer)} cancels
	 */
	Timer schedule(Instant due, Runnable action) {
		this.lock.lock();
		try {
			return add(this.timers, new Timer(due, this.sequence++, action));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Arms a job's next fire, replacing the one it armed before; not for a removed job. A
	 * job on standby ({@link Job#standby}) is handed its fire the standby delay late, and
	 * not before {@link Job#standbyUntil}.
	 */
	void arm(Job job, Instant time) {
		this.lock.lock();
		try {
			if (job.removed) {
				return;
			}
			job.nextFire(time);
			Instant due = time;
			if (job.standby && this.standbyNanos > 0) {
				due = time.plusNanos(this.standbyNanos);
				Instant until = job.standbyUntil;
				if (until != null && until.isAfter(due)) {
					due = until;
				}
			}
			Timer timer = add(this.fireTimers, new Timer(due, this.sequence++, null, job, time));
			job.armedTimer = timer.sequence;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Arms a job's next fire if it has one, or notes that it has none. */
	void armNext(Job job, Optional<Instant> next) {
		if (next.isPresent()) {
			arm(job, next.get());
		}
		else {
			job.nextFire(null);
		}
	}

	/** Drops the fire a removed job armed. */
	void disarm(Job job) {
		this.lock.lock();
		try {
			job.armedTimer = -1;
		}
		finally {
			this.lock.unlock();
		}
	}

	private Timer add(TimerHeap queue, Timer timer) {
		queue.add(timer);
		if (queue.peek() == timer) {
			this.changed.signal();
		}
		return timer;
	}

	/** Wakes the ticker to look at its timers again. */
	void signal() {
		this.lock.lock();
		try {
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	static void cancel(Timer timer) {
		if (timer != null) {
			timer.cancel();
		}
	}

}
