package io.tickwork.queue;

import java.time.Duration;

/**
 * Sees what happens to queues beyond the executions that {@link io.tickwork.JobListener}
 * sees: enqueues, waits and dead letters; metrics implement it. Called on the queue's
 * threads: quick and thread-safe. Every method does nothing by default.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public interface QueueObserver {

	/** An observer that does nothing. */
	QueueObserver NONE = new QueueObserver() {
	};

	/**
	 * A job was added to a type's queue.
	 * @param type the job type
	 */
	default void enqueued(String type) {
	}

	/**
	 * An attempt started this long after its job could first run (its enqueue, delay or
	 * the end of its backoff).
	 * @param type the job type
	 * @param wait the wait
	 */
	default void waited(String type, Duration wait) {
	}

	/**
	 * A job went to the dead letter.
	 * @param type the job type
	 */
	default void deadLettered(String type) {
	}

}
