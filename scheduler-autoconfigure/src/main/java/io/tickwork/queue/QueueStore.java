package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.tickwork.QueuedJob;

/**
 * Where queued jobs live: their records, the ready, delayed, running and dead sets of
 * each type, leases and fencing tokens. Every operation on one type is atomic. A lease
 * ({@link Delivery#token()}) guards every change of a running job: an operation with a
 * token that is no longer the job's current one is refused.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public interface QueueStore {

	/**
	 * Adds a job unless one with its id exists in its type, or the type is full.
	 * @param job the new job (status {@code READY} or {@code DELAYED})
	 * @param capacity the most ready and delayed jobs the type may hold
	 * @return what happened
	 */
	EnqueueResult enqueue(QueuedJob job, long capacity);

	/**
	 * Adds a job as {@link #enqueue} does, without waiting for the answer where the store
	 * can; jobs of one type sent together may share one call. The answer fails after the
	 * store's command timeout at the latest.
	 * @param job the new job
	 * @param capacity the most ready and delayed jobs the type may hold
	 * @return what happened, to come
	 */
	default CompletableFuture<EnqueueResult> enqueueAsync(QueuedJob job, long capacity) {
		try {
			return CompletableFuture.completedFuture(enqueue(job, capacity));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Claims up to {@code max} ready jobs of a type, highest priority first, each leased
	 * to the instance until {@code now + lease}. Before that, moves delayed jobs whose time
	 * has come to the ready set, and ends the leases that expired: such a job goes back to
	 * the ready set, or to the dead letter if it had no attempt left. A paused type gives
	 * no job.
	 * @param type the job type
	 * @param instance the claiming instance
	 * @param max the most jobs to claim; 0 only does the upkeep
	 * @param now the current time
	 * @param lease how long the leases last
	 * @param defaultMaxAttempts attempts of a job that did not ask for its own number
	 * @return the claimed jobs, the abandoned ones, and when to look again
	 */
	default Claim claim(String type, String instance, int max, Instant now, Duration lease, int defaultMaxAttempts) {
		return claim(type, instance, max, now, lease, defaultMaxAttempts, List.of(), Duration.ZERO);
	}

	/**
	 * Ends attempts that succeeded, as {@link #succeed} does, then claims as
	 * {@link #claim(String, String, int, Instant, Duration, int)} does, in one operation:
	 * a worker that finished jobs takes the next ones in one round trip.
	 * @param type the job type
	 * @param instance the claiming instance
	 * @param max the most jobs to claim
	 * @param now the current time, also the end of the succeeded attempts
	 * @param lease how long the leases last
	 * @param defaultMaxAttempts attempts of a job that did not ask for its own number
	 * @param succeeded the succeeded attempts: job ids and their fencing tokens
	 * @param retention how long the records of succeeded jobs are kept
	 * @return the claimed jobs, the abandoned ones, when to look again, and the succeeded
	 * attempts whose lease was lost
	 */
	Claim claim(String type, String instance, int max, Instant now, Duration lease, int defaultMaxAttempts,
			List<Map.Entry<String, Long>> succeeded, Duration retention);

	/**
	 * Extends the leases of running jobs.
	 * @param type the job type
	 * @param tokens the jobs' ids and their fencing tokens
	 * @param until the new expiry
	 * @return the ids whose lease was lost (another token, or the job not running)
	 */
	Set<String> extend(String type, Map<String, Long> tokens, Instant until);

	/**
	 * Ends an attempt that succeeded; the record is kept for {@code retention}.
	 * @param type the job type
	 * @param id the job id
	 * @param token the attempt's fencing token
	 * @param now the current time
	 * @param retention how long the record is kept
	 * @return {@code false} if the lease was lost
	 */
	boolean succeed(String type, String id, long token, Instant now, Duration retention);

	/**
	 * Ends an attempt that failed and will be retried: the job waits in the delayed set.
	 * @param type the job type
	 * @param id the job id
	 * @param token the attempt's fencing token
	 * @param at when the next attempt may run
	 * @param error what the attempt threw
	 * @return {@code false} if the lease was lost
	 */
	boolean retry(String type, String id, long token, Instant at, String error);

	/**
	 * Ends the last attempt of a job that failed: the job goes to the dead letter, which
	 * keeps at most {@code maxDead} jobs of the type (the oldest go first).
	 * @param type the job type
	 * @param id the job id
	 * @param token the attempt's fencing token
	 * @param now the current time
	 * @param error what the attempt threw
	 * @param maxDead the size of the dead letter
	 * @return {@code false} if the lease was lost
	 */
	boolean bury(String type, String id, long token, Instant now, String error, int maxDead);

	/**
	 * Gives a running job back without counting its attempt, such as at shutdown.
	 * @param type the job type
	 * @param id the job id
	 * @param token the attempt's fencing token
	 * @return {@code false} if the lease was lost
	 */
	boolean release(String type, String id, long token);

	/**
	 * Reads a job.
	 * @param type the job type
	 * @param id the job id
	 * @return the job, if it exists
	 */
	Optional<QueuedJob> get(String type, String id);

	/**
	 * Cancels a ready or delayed job.
	 * @param type the job type
	 * @param id the job id
	 * @param now the current time
	 * @param retention how long the record is kept
	 * @return whether it was cancelled
	 */
	boolean cancel(String type, String id, Instant now, Duration retention);

	/**
	 * Counts the jobs of a type by where they stand.
	 * @param type the job type
	 * @return the counts
	 */
	Counts counts(String type);

	/**
	 * The jobs of a type in the dead letter, latest first.
	 * @param type the job type
	 * @param limit the most jobs to read
	 * @return the jobs
	 */
	List<QueuedJob> deadLetters(String type, int limit);

	/**
	 * Moves a dead job back to the ready set with its attempts reset.
	 * @param type the job type
	 * @param id the job id
	 * @param now the current time
	 * @return whether the job was dead
	 */
	boolean requeue(String type, String id, Instant now);

	/**
	 * Deletes a dead job and drops dead jobs older than {@code ttl}.
	 * @param type the job type
	 * @param id the job id, or {@code null} to only drop the old ones
	 * @param olderThan dead jobs buried before this instant are deleted too
	 * @return whether the job was dead and is deleted
	 */
	boolean deleteDead(String type, String id, Instant olderThan);

	/**
	 * Pauses or resumes a type for every instance.
	 * @param type the job type
	 * @param paused whether it is paused
	 */
	void setPaused(String type, boolean paused);

	/**
	 * The types that ever got a job in this store.
	 * @return the types
	 */
	Set<String> types();

	/**
	 * Asks to be told when a type may have work sooner than its last {@link Claim#next()}:
	 * a job became ready, or a delayed one is due earlier. The store calls back with the
	 * type and the instant the work is due ({@code null} for now), on any thread.
	 * @param listener the callback
	 */
	void onWork(BiConsumer<String, Instant> listener);

	/**
	 * What an enqueue came to.
	 *
	 * @param id the id of the new or existing job
	 * @param created whether a new job was added
	 * @param full whether the type was full (nothing was added)
	 * @since 0.2.0
	 */
	record EnqueueResult(String id, boolean created, boolean full) {
	}

	/**
	 * A job leased to an instance for one attempt.
	 *
	 * @param job the job, with its attempt and fencing token
	 * @param leaseUntil when the lease expires unless extended
	 * @since 0.2.0
	 */
	record Delivery(QueuedJob job, Instant leaseUntil) {
	}

	/**
	 * What a claim came to.
	 *
	 * @param delivered the jobs leased to the caller
	 * @param abandoned jobs whose lease expired (their instance stopped without ending
	 * the attempt), as they were; {@code status} tells whether they went back to ready
	 * or to the dead letter
	 * @param next when a delayed job becomes due or a lease expires, or {@code null}
	 * @param paused whether the type is paused
	 * @param lostAcks ids of the succeeded attempts whose end was refused: their lease was
	 * lost, or they had already ended
	 * @since 0.2.0
	 */
	record Claim(List<Delivery> delivered, List<QueuedJob> abandoned, Instant next, boolean paused,
			Set<String> lostAcks) {

		/**
		 * A claim that ended no attempt.
		 * @param delivered the jobs leased to the caller
		 * @param abandoned jobs whose lease expired
		 * @param next when to look again, or {@code null}
		 * @param paused whether the type is paused
		 */
		public Claim(List<Delivery> delivered, List<QueuedJob> abandoned, Instant next, boolean paused) {
			this(delivered, abandoned, next, paused, Set.of());
		}

	}

	/**
	 * The jobs of a type by where they stand.
	 *
	 * @param ready waiting for a worker
	 * @param delayed waiting for their time
	 * @param running leased
	 * @param dead in the dead letter
	 * @param paused whether the type is paused
	 * @since 0.2.0
	 */
	record Counts(long ready, long delayed, long running, long dead, boolean paused) {
	}

}
