package io.tickwork.engine;

import java.time.Instant;

/**
 * An action due at an instant, kept in the engine's heap. Cancelled timers stay in the
 * heap and are dropped when they reach its head.
 */
final class Timer implements Comparable<Timer> {

	final Instant due;

	/** The due instant's fields, copied so that ordering the heap reads no other object. */
	private final long seconds;

	private final int nanos;

	final long sequence;

	final Runnable action;

	volatile boolean cancelled;

	Timer(Instant due, long sequence, Runnable action) {
		this.due = due;
		this.seconds = due.getEpochSecond();
		this.nanos = due.getNano();
		this.sequence = sequence;
		this.action = action;
	}

	void cancel() {
		this.cancelled = true;
	}

	@Override
	public int compareTo(Timer other) {
		if (this.seconds != other.seconds) {
			return Long.compare(this.seconds, other.seconds);
		}
		return (this.nanos != other.nanos) ? Integer.compare(this.nanos, other.nanos)
				: Long.compare(this.sequence, other.sequence);
	}

}
