package io.tickwork;

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

	/**
	 * Creates a new instance.
	 * @param type the job type
	 * @param capacity the type's capacity
	 */
	public QueueFullException(String type, long capacity) {
		super("Queue '" + type + "' is full: it holds " + capacity + " ready and delayed jobs, its capacity"
				+ " (tickwork.queues." + type + ".capacity)");
		this.type = type;
		this.capacity = capacity;
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

}
