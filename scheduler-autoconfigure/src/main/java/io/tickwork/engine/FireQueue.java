package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

import io.tickwork.JobExecution.Trigger;
import io.tickwork.Overlap;
import io.tickwork.SkipReason;
import io.tickwork.schedule.Schedule;

/**
 * Keeps each job's fires in order on their way to a claim: hands a fire to the
 * dispatcher, queues replayed missed fires behind one another, holds the one fire that
 * waits for the job's lock (overlap policy WAIT), and, when a fire ends, sends the next
 * and arms a fixed-delay job's next fire. Thread-safe; a job's queue is guarded by the
 * job.
 */
final class FireQueue {

	private static final String STOPPED_WHILE_WAITING = "the scheduler stopped while the fire waited for its lock";

	static final String REMOVED_WHILE_WAITING = "the job was removed while the fire waited for its lock";

	private final EngineClock clock;

	private final Lifecycle lifecycle;

	private final Ticker ticker;

	private final Dispatcher dispatcher;

	private final Recorder recorder;

	/** Sends a fire's claim and yields the task that handles its answer. */
	private final Function<Fire, CompletionStage<Dispatcher.Task>> claim;

	private final Duration tickInterval;

	/** Whether instances on standby ask for a job's fires late (a standby delay is set). */
	private final boolean standby;

	/** Told when the last fire of a job whose schedule fires no more has ended. */
	private final Consumer<Job> finished;

	FireQueue(EngineClock clock, Lifecycle lifecycle, Ticker ticker, Dispatcher dispatcher, Recorder recorder,
			Function<Fire, CompletionStage<Dispatcher.Task>> claim, Duration tickInterval, boolean standby,
			Consumer<Job> finished) {
		this.standby = standby;
		this.finished = finished;
		this.clock = clock;
		this.lifecycle = lifecycle;
		this.ticker = ticker;
		this.dispatcher = dispatcher;
		this.recorder = recorder;
		this.claim = claim;
		this.tickInterval = tickInterval;
	}

	/** Sends a fire towards its claim, or queues it behind the job's replayed fires. */
	void dispatch(Fire fire) {
		Job job = fire.job;
		synchronized (job) {
			if (fire.trigger != Trigger.MANUAL && !fire.fromBacklog && !job.backlog.isEmpty()) {
				job.backlog.addLast(fire);
				armDeferred(fire);
				return;
			}
			job.inFlight++;
		}
		submit(fire);
	}

	/**
	 * Queues a job's replayed missed fires one behind another, and sends the first if
	 * nothing of the job is in flight.
	 */
	void replay(Job job, Iterable<Instant> times) {
		Fire first = null;
		synchronized (job) {
			for (Instant time : times) {
				Fire fire = new Fire(job, time, Trigger.MISFIRE, this.clock.newExecutionId(), null, null, null, false,
						true);
				if (first == null && job.inFlight == 0 && job.backlog.isEmpty()) {
					first = fire;
				}
				else {
					job.backlog.addLast(fire);
				}
			}
		}
		if (first != null) {
			dispatch(first);
		}
	}

	/**
	 * The fire leaves the dispatch queue towards its claim: arms the job's next fire, or,
	 * for the question of an instance on standby, leaves that to the answer
	 * ({@link #armOnAnswer}).
	 */
	private void leaving(Fire fire) {
		if (fire.trigger == Trigger.SCHEDULE && fire.forcedSkip == null && fire.job.standby && this.standby) {
			fire.armsOnAnswer = true;
			return;
		}
		armDeferred(fire);
	}

	/** Arms the next fire a standby's question held back ({@link #leaving}), once it is answered. */
	void armOnAnswer(Fire fire) {
		if (fire.armsOnAnswer) {
			fire.armsOnAnswer = false;
			armDeferred(fire);
		}
	}

	/** Arms the job's next fire that this fire held back, once it leaves the dispatch queue. */
	private void armDeferred(Fire fire) {
		Instant next = fire.armsNext;
		if (next != null) {
			fire.armsNext = null;
			if (this.lifecycle.isRunning()) {
				this.ticker.arm(fire.job, next);
			}
		}
	}

	private void submit(Fire fire) {
		this.dispatcher.submitPrepared(() -> this.claim.apply(fire), () -> leaving(fire), (ex) -> notClaimed(fire));
	}

	private void notClaimed(Fire fire) {
		armOnAnswer(fire);
		if (fire.future != null) {
			skip(fire, SkipReason.SHUTDOWN, "the scheduler is shutting down", 0);
		}
		else {
			ended(fire);
		}
	}

	/** Records a fire that did not run, tells it, and ends it. */
	void skip(Fire fire, SkipReason reason, String message, long fencingToken) {
		this.recorder.skipped(fire, reason, message, fencingToken);
		ended(fire);
	}

	/**
	 * A fire found its job's lock taken: under overlap policy WAIT it waits for the lock
	 * (one fire per job), else it is recorded as skipped.
	 * @param heldHere whether this instance ran the job when the answer came
	 */
	void locked(Fire fire, boolean heldHere) {
		Job job = fire.job;
		boolean waiting = false;
		boolean localHolder;
		boolean wantsToWait;
		synchronized (job) {
			localHolder = job.running > 0;
			wantsToWait = job.definition.overlap() == Overlap.WAIT && fire.forcedSkip == null
					&& job.pending == null;
			// stop() and retire() flip these before draining pending fires under this monitor
			if (wantsToWait && this.lifecycle.isRunning() && !job.removed) {
				job.pending = fire.asReclaim();
				job.inFlight--;
				waiting = true;
			}
		}
		if (waiting) {
			if (!localHolder) {
				this.ticker.schedule(this.clock.now().plus(this.tickInterval), () -> dispatchPending(job));
			}
		}
		else if (wantsToWait && job.removed) {
			skip(fire, SkipReason.DISABLED, REMOVED_WHILE_WAITING, 0);
		}
		else if (wantsToWait) {
			skip(fire, SkipReason.SHUTDOWN, STOPPED_WHILE_WAITING, 0);
		}
		else {
			skip(fire, heldHere ? SkipReason.OVERLAP : SkipReason.LOCKED, null, 0);
		}
	}

	private void dispatchPending(Job job) {
		Fire next;
		synchronized (job) {
			if (job.running > 0 || job.pending == null) {
				return;
			}
			next = job.pending;
			job.pending = null;
			job.inFlight++;
		}
		submit(next);
	}

	/**
	 * Records as skipped the fire that waits for the job's lock (overlap policy WAIT): its
	 * claim already consumed the fire, so no other instance will run or record it.
	 */
	void dropPending(Job job, SkipReason reason, String message) {
		Fire pending;
		synchronized (job) {
			pending = job.pending;
			job.pending = null;
			if (pending != null) {
				job.inFlight++;
			}
		}
		if (pending != null) {
			skip(pending, reason, message, 0);
		}
	}

	/** Drops the fires the stop found waiting for their job's lock. */
	void dropPendingOnStop(Job job) {
		dropPending(job, SkipReason.SHUTDOWN, STOPPED_WHILE_WAITING);
	}

	/** Bookkeeping once a fire has ended, whatever happened to it. */
	void ended(Fire fire) {
		Job job = fire.job;
		Fire next = null;
		synchronized (job) {
			job.inFlight--;
			if (job.running == 0) {
				if (job.pending != null) {
					next = job.pending;
					job.pending = null;
				}
				else if (!job.backlog.isEmpty() && (fire.fromBacklog || job.inFlight == 0)) {
					next = job.backlog.pollFirst();
				}
				if (next != null) {
					job.inFlight++;
				}
			}
		}
		if (next != null && !job.removed && this.lifecycle.isRunning()) {
			submit(next);
		}
		else if (next != null) {
			synchronized (job) {
				job.inFlight--;
			}
		}
		Schedule schedule = job.definition.schedule();
		if (fire.trigger == Trigger.MANUAL || job.removed || !this.lifecycle.isRunning()) {
			return;
		}
		if (schedule.fromCompletion()) {
			this.ticker.armNext(job, schedule.next(this.clock.now()));
		}
		else if (job.nextFire() == null && schedule.next(latestOf(fire.scheduledTime, job.settledUntil())).isEmpty()) {
			finishedIfIdle(job);
		}
	}

	private static Instant latestOf(Instant time, Instant settled) {
		return (settled != null && settled.isAfter(time)) ? settled : time;
	}

	/** Tells that a job whose schedule fires no more is finished, once nothing of it is left. */
	void finishedIfIdle(Job job) {
		boolean idle;
		synchronized (job) {
			idle = job.inFlight == 0 && job.pending == null && job.backlog.isEmpty();
		}
		if (idle) {
			this.finished.accept(job);
		}
	}

}
