package io.tickwork;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The queue of jobs that code triggers: enqueue typed jobs to run now or later, on one
 * of the instances whose {@link JobHandler} handles their type, at least once.
 * <p>
 * Job ids are unique within a type. Methods that take only an id look for it in every
 * type this instance knows (its handlers, the types it enqueued, the types in the store).
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public interface JobQueue {

	/**
	 * Enqueues a job of a type to run now.
	 * @param type the job type
	 * @param payload the payload, written as JSON
	 * @return the job id
	 * @throws QueueFullException if the type is at its capacity
	 */
	default String enqueue(String type, Object payload) {
		return enqueue(JobRequest.of(type, payload));
	}

	/**
	 * Enqueues a job; a request whose id exists in its type returns that id and enqueues
	 * nothing.
	 * @param request the request
	 * @return the job id
	 * @throws QueueFullException if the type is at its capacity
	 * @throws IllegalArgumentException if the payload cannot be written as JSON, or if the
	 * type has no handler in an application that has no shared store
	 */
	String enqueue(JobRequest request);

	/**
	 * Enqueues several jobs, each as {@link #enqueue(JobRequest)} would, without waiting
	 * for one before sending the next: jobs of one type share script calls. A request
	 * whose id exists in its type gives that id. Every request is checked (payload, type)
	 * before any is sent.
	 * @param requests the requests, of one type or of several
	 * @return the job ids, in the order of the requests
	 * @throws QueueFullException if a type was at its capacity for some of its jobs: those
	 * are not enqueued ({@link QueueFullException#getRefusedIds()}), every other job is
	 * @throws IllegalArgumentException if a request cannot be enqueued, naming its place
	 * in the list; then none is
	 * @since 0.2.0
	 */
	List<String> enqueueAll(List<JobRequest> requests);

	/**
	 * Enqueues a job, waiting up to a time for room if the type is at its capacity.
	 * @param request the request
	 * @param waitIfFull how long to wait for room
	 * @return the job id
	 * @throws QueueFullException if the type is still full after the wait
	 */
	String enqueue(JobRequest request, Duration waitIfFull);

	/**
	 * Enqueues a job unless the type is at its capacity.
	 * @param request the request
	 * @return {@code false} if the queue was full
	 */
	boolean tryEnqueue(JobRequest request);

	/**
	 * Reads a job.
	 * @param id the job id
	 * @return the job, if it exists (finished jobs are kept for {@code retention})
	 */
	Optional<QueuedJob> get(String id);

	/**
	 * Reads a job of a type.
	 * @param type the job type
	 * @param id the job id
	 * @return the job, if it exists
	 */
	Optional<QueuedJob> get(String type, String id);

	/**
	 * Cancels a job that has not started: it will not run.
	 * @param id the job id
	 * @return {@code true} if the job was ready or delayed and is now cancelled
	 */
	boolean cancel(String id);

	/**
	 * The number of jobs of a type that have not ended: ready, delayed and running.
	 * @param type the job type
	 * @return the size
	 */
	long size(String type);

	/**
	 * The jobs of a type in the dead letter, latest first.
	 * @param type the job type
	 * @param limit at most this many
	 * @return the dead jobs
	 */
	List<QueuedJob> deadLetters(String type, int limit);

	/**
	 * Puts a dead job back in its queue, ready, with its attempts reset.
	 * @param id the job id
	 * @return {@code true} if the job was in the dead letter
	 */
	boolean requeue(String id);

	/**
	 * Deletes a job from the dead letter.
	 * @param id the job id
	 * @return {@code true} if the job was in the dead letter
	 */
	boolean deleteDeadLetter(String id);

	/**
	 * The outcome of a job, wherever it runs: completes with the job once it succeeded,
	 * went to the dead letter or was cancelled. A job run by another instance is seen
	 * within {@code tickwork.queue.outcome-poll-interval} of its end, as long as finished
	 * jobs are kept ({@code retention}).
	 * @param id the job id
	 * @param timeout how long to wait
	 * @return the outcome; fails with a {@link java.util.concurrent.TimeoutException}
	 * after the timeout, or with a {@link java.util.NoSuchElementException} if the job
	 * does not exist
	 */
	CompletableFuture<QueuedJob> outcome(String id, Duration timeout);

	/**
	 * Stops the jobs of a type from starting on every instance; running ones go on.
	 * @param type the job type
	 */
	void pause(String type);

	/**
	 * Lets the jobs of a paused type start again.
	 * @param type the job type
	 */
	void resume(String type);

	/**
	 * What the queues of every known type hold.
	 * @return one entry per type, sorted by type
	 */
	List<QueueInfo> queues();

}
