package io.tickwork.engine;

import java.time.Instant;
import java.util.ArrayDeque;

import io.tickwork.JobDefinition;

/**
 * A registered job and its bookkeeping on this instance. Fields marked as guarded by the
 * job are accessed under {@code synchronized (job)}; the fire timer under the engine's
 * timer lock.
 */
final class Job {

	final JobDefinition definition;

	final String name;

	/** Whether the application declared it (such as by {@code @ScheduledJob}), not code at run time. */
	final boolean declared;

	volatile boolean removed;

	/**
	 * The sequence of the fire timer the job armed last, -1 once retired: a fire timer
	 * whose sequence differs is stale, and dropped as a cancelled one is. A number, as is the next fire below, so that arming a
	 * fire points no long-lived job at a new object, which every young collection of the
	 * garbage collector would then scan. Guarded by the engine's timer lock.
	 */
	long armedTimer = -1;

	/** The next fire's epoch seconds, {@link Long#MIN_VALUE} while none. Guarded by this. */
	private long nextFireSeconds = Long.MIN_VALUE;

	/** The next fire's nanos. Guarded by this. */
	private int nextFireNanos;

	/**
	 * The fire up to which the cluster settled the job's fires (each claimed, or recorded
	 * by the instance told it was superseded), in epoch milliseconds, as a refused claim
	 * told it; {@link Long#MIN_VALUE} while unknown. Fires up to it are passed without a
	 * claim. Guarded by this.
	 */
	private long settledMillis = Long.MIN_VALUE;

	/**
	 * Whether another instance claimed the job's latest fire this instance asked for: its
	 * fires are then asked for the standby delay after their time, when the instance that
	 * claims them on time has claimed them and the answer passes many at once (see
	 * {@link ClaimStep#isEveryFireClaimed}), and are run here only if none did. Cleared when
	 * this instance claims a fire.
	 */
	volatile boolean standby;

	/**
	 * Scheduled fires of the job this instance asked for in a row that another instance
	 * had claimed, each with later claimed fires after it (so the job fires more often
	 * than the standby delay): the delay of {@link #standbyUntil} grows with them.
	 */
	volatile int standbyRefusals;

	/**
	 * While on standby, the time before which the job's next fire is not asked for: a
	 * delay after the last refusal that told this instance the job's latest claimed fire,
	 * the standby delay doubled with each refusal in a row after the first, up to the
	 * longest (see {@link EngineSettings#standbyNanos(int)}), so that it asks about once
	 * per delay even when the fires it asks for are late (its engine, or the one that
	 * claims them, is saturated); {@code null} while none.
	 */
	volatile Instant standbyUntil;

	/** Fires dispatched and not yet ended. Guarded by this. */
	int inFlight;

	/** Executions that hold a claim on this instance. Guarded by this. */
	int running;

	/** A fire consumed while the lock was held, run when the lock frees. Guarded by this. */
	Fire pending;

	/** Missed fires replayed one after another. Guarded by this. */
	final ArrayDeque<Fire> backlog = new ArrayDeque<>(0);

	Job(JobDefinition definition, boolean declared) {
		this.definition = definition;
		this.name = definition.name();
		this.declared = declared;
	}

	synchronized Instant nextFire() {
		return (this.nextFireSeconds != Long.MIN_VALUE) ? Instant.ofEpochSecond(this.nextFireSeconds, this.nextFireNanos)
				: null;
	}

	/** Notes that the job's fires are settled up to a fire; never moves back. */
	synchronized void settled(Instant until) {
		this.settledMillis = Math.max(this.settledMillis, until.toEpochMilli());
	}

	/** Whether a fire is at or before the one up to which the job's fires are settled; allocates nothing. */
	synchronized boolean isSettled(Instant fire) {
		if (this.settledMillis == Long.MIN_VALUE) {
			return false;
		}
		long millis = fire.toEpochMilli();
		return millis < this.settledMillis || (millis == this.settledMillis && fire.getNano() % 1_000_000 == 0);
	}

	/** The fire up to which the job's fires are settled, or {@code null} if unknown. */
	synchronized Instant settledUntil() {
		return (this.settledMillis != Long.MIN_VALUE) ? Instant.ofEpochMilli(this.settledMillis) : null;
	}

	synchronized void nextFire(Instant next) {
		this.nextFireSeconds = (next != null) ? next.getEpochSecond() : Long.MIN_VALUE;
		this.nextFireNanos = (next != null) ? next.getNano() : 0;
	}

}
