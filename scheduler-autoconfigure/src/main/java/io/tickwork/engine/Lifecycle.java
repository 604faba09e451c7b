package io.tickwork.engine;

/**
 * Where the engine is in its life, read by every room that must stop taking work once
 * the engine stops. Thread-safe.
 */
final class Lifecycle {

	private volatile Phase phase = Phase.NEW;

	Phase phase() {
		return this.phase;
	}

	void set(Phase phase) {
		this.phase = phase;
	}

	/** Whether the engine takes new work. */
	boolean isRunning() {
		return this.phase == Phase.RUNNING;
	}

	/** Whether the ticker still works its timers: running, or finishing what runs. */
	boolean isTicking() {
		Phase current = this.phase;
		return current == Phase.RUNNING || current == Phase.STOPPING;
	}

	enum Phase {

		NEW, RUNNING, STOPPING, STOPPED

	}

}
