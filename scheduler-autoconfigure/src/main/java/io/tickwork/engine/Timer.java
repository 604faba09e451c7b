package io.tickwork.engine;

import java.time.Instant;

/**
 * An action due at an instant, kept in the engine's heap. Cancelled timers stay in the
 * heap and are dropped when they reach its head.
 */
final class Timer implements Comparable<Timer> {

	final Instant due;

	final long sequence;

	final Runnable action;

	volatile boolean cancelled;

	Timer(Instant due, long sequence, Runnable action) {
		this.due = due;
		this.sequence = sequence;
		this.action = action;
	}

	void cancel() {
		this.cancelled = true;
	}

	@Override
	public int compareTo(Timer other) {
		int byTime = this.due.compareTo(other.due);
		return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
	}

}
