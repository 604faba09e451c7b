package io.tickwork.engine;

import java.util.Arrays;

/**
 * A min-heap of timers by due time, then sequence, whose keys are kept in arrays of their
 * own, so that ordering reads neither a timer nor its instant: with thousands of fire
 * timers spread over the old generation, each comparison in a heap of objects is a
 * likely cache miss. Not thread-safe: the engine guards it with its timer lock.
 */
final class TimerHeap {

	private Timer[] timers = new Timer[16];

	private long[] seconds = new long[16];

	private int[] nanos = new int[16];

	private long[] sequences = new long[16];

	private int size;

	boolean isEmpty() {
		return this.size == 0;
	}

	int size() {
		return this.size;
	}

	/** The earliest timer, or null. */
	Timer peek() {
		return (this.size == 0) ? null : this.timers[0];
	}

	void add(Timer timer) {
		if (this.size == this.timers.length) {
			int capacity = this.size * 2;
			this.timers = Arrays.copyOf(this.timers, capacity);
			this.seconds = Arrays.copyOf(this.seconds, capacity);
			this.nanos = Arrays.copyOf(this.nanos, capacity);
			this.sequences = Arrays.copyOf(this.sequences, capacity);
		}
		long second = timer.due.getEpochSecond();
		int nano = timer.due.getNano();
		long sequence = timer.sequence;
		int index = this.size++;
		while (index > 0) {
			int parent = (index - 1) >>> 1;
			if (!before(second, nano, sequence, parent)) {
				break;
			}
			move(parent, index);
			index = parent;
		}
		set(index, timer, second, nano, sequence);
	}

	/** Removes and returns the earliest timer, or null. */
	Timer poll() {
		if (this.size == 0) {
			return null;
		}
		Timer head = this.timers[0];
		int last = --this.size;
		Timer moved = this.timers[last];
		long second = this.seconds[last];
		int nano = this.nanos[last];
		long sequence = this.sequences[last];
		this.timers[last] = null;
		if (last > 0) {
			int index = 0;
			int half = last >>> 1;
			while (index < half) {
				int child = 2 * index + 1;
				int right = child + 1;
				if (right < last && earlier(right, child)) {
					child = right;
				}
				if (!before(this.seconds[child], this.nanos[child], this.sequences[child], second, nano, sequence)) {
					break;
				}
				move(child, index);
				index = child;
			}
			set(index, moved, second, nano, sequence);
		}
		return head;
	}

	/** Whether the key (second, nano, sequence) orders before the timer at the index. */
	private boolean before(long second, int nano, long sequence, int index) {
		return before(second, nano, sequence, this.seconds[index], this.nanos[index], this.sequences[index]);
	}

	private static boolean before(long second, int nano, long sequence, long otherSecond, int otherNano,
			long otherSequence) {
		if (second != otherSecond) {
			return second < otherSecond;
		}
		return (nano != otherNano) ? nano < otherNano : sequence < otherSequence;
	}

	private boolean earlier(int index, int other) {
		return before(this.seconds[index], this.nanos[index], this.sequences[index], other);
	}

	private void move(int from, int to) {
		this.timers[to] = this.timers[from];
		this.seconds[to] = this.seconds[from];
		this.nanos[to] = this.nanos[from];
		this.sequences[to] = this.sequences[from];
	}

	private void set(int index, Timer timer, long second, int nano, long sequence) {
		this.timers[index] = timer;
		this.seconds[index] = second;
		this.nanos[index] = nano;
		this.sequences[index] = sequence;
	}

}
