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

	volatile boolean removed;

	volatile Instant nextFire;

	/** Guarded by the engine's timer lock. */
	Timer fireTimer;

	/** Fires dispatched and not yet ended. Guarded by this. */
	int inFlight;

	/** Executions that hold a claim on this instance. Guarded by this. */
	int running;

	/** A fire consumed while the lock was held, run when the lock frees. Guarded by this. */
	Fire pending;

	/** Missed fires replayed one after another. Guarded by this. */
	final ArrayDeque<Fire> backlog = new ArrayDeque<>(0);

	Job(JobDefinition definition) {
		this.definition = definition;
		this.name = definition.name();
	}

}
