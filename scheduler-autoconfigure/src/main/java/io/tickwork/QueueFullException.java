package io.tickwork;

import java.util.List;

/**
 * Thrown when a job cannot be enqueued because its type already holds as many ready and
 * delayed jobs as its capacity allows ({@code tickwork.queues.<type>.capacity}).
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class QueueFullException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String type;

	private final long capacity;

	private final List<String> refusedIds;

	/**
	 * Creates a new instance.
	 * @param type the job type
	 * @param capacity the type's capacity
	 */
	public QueueFullException(String type, long capacity) {
		this(type, capacity, List.of());
	}

	/**
	 * Creates a new instance for jobs of a list that did not fit.
	 * @param type the job type
	 * @param capacity the type's capacity
	 * @param refusedIds the ids of the jobs that were not enqueued
	 */
	public QueueFullException(String type, long capacity, List<String> refusedIds) {
		super("Queue '" + type + "' is full: it holds " + capacity + " ready and delayed jobs, its capacity"
				+ " (tickwork.queues." + type + ".capacity)"
				+ (refusedIds.isEmpty() ? "" : "; " + refusedIds.size() + " job(s) of the list were not enqueued"));
		this.type = type;
		this.capacity = capacity;
		this.refusedIds = List.copyOf(refusedIds);
	}

	/**
	 * The job type whose queue is full.
	 * @return the type
	 */
	public String getType() {
		return this.type;
	}

	/**
	 * The capacity of the type.
	 * @return the capacity
	 */
	public long getCapacity() {
		return this.capacity;
	}

	/**
	 * The ids of the jobs of a list ({@link JobQueue#enqueueAll}) that were not enqueued;
	 * empty for a single enqueue.
	 * @return the ids, in the order of the list
	 */
	public List<String> getRefusedIds() {
		return this.refusedIds;
	}

}
