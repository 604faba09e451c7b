package io.tickwork.engine;

import java.time.Instant;

/**
 * An action due at an instant, or a job's fire, kept in the engine's timer heaps.
 * Cancelled timers, and fire timers that their job no longer arms, stay in the heap and
 * are dropped when they reach its head.
 */
final class Timer {

	final Instant due;

	/** The fire's scheduled time, for a fire timer; a standby's fire timer is due after it. */
	final Instant fire;

	final long sequence;

	/** What to run, or null for a job's fire timer. */
	final Runnable action;

	/** The job whose fire this timer is, or null. */
	final Job job;

	volatile boolean cancelled;

	Timer(Instant due, long sequence, Runnable action) {
		this(due, sequence, action, null, due);
	}

	Timer(Instant due, long sequence, Runnable action, Job job, Instant fire) {
		this.due = due;
		this.fire = fire;
		this.sequence = sequence;
		this.action = action;
		this.job = job;
	}

	/**
	 * Whether the timer still counts: not cancelled and, for a fire timer, the one its
	 * job armed last. Called under the engine's timer lock.
	 */
	boolean isLive() {
		return !this.cancelled && (this.job == null || this.job.armedTimer == this.sequence);
	}

	void cancel() {
		this.cancelled = true;
	}

}
