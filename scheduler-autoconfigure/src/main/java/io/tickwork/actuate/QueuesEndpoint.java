package io.tickwork.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.tickwork.JobQueue;
import io.tickwork.QueueInfo;
import io.tickwork.QueuedJob;
import io.tickwork.history.JobHistory;
import io.tickwork.queue.QueueEngine;
import io.tickwork.schedule.Durations;

/**
 * {@link Endpoint @Endpoint} of queued jobs: lists the types with what their queues hold
 * and their statistics, reads a type's recent attempts and dead letter, reads one job,
 * pauses and resumes a type cluster-wide, and requeues, deletes or cancels a job.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
@Endpoint(id = "queues")
public class QueuesEndpoint {

	/** The actions a write on a type accepts. */
	public static final Set<String> TYPE_ACTIONS = Set.of("pause", "resume");

	/** The actions a write on a job accepts. */
	public static final Set<String> JOB_ACTIONS = Set.of("requeue", "delete", "cancel");

	private static final int HISTORY = 20;

	private final JobQueue queue;

	private final JobHistory history;

	/**
	 * Creates a new instance.
	 * @param queue the queue
	 * @param history the history of attempts
	 */
	public QueuesEndpoint(JobQueue queue, JobHistory history) {
		this.queue = queue;
		this.history = history;
	}

	/**
	 * Every known type.
	 * @return the types
	 */
	@ReadOperation
	public QueuesDescriptor queues() {
		return new QueuesDescriptor(this.queue.queues().stream().map(this::describe).toList());
	}

	/**
	 * One type, with its recent attempts and its latest dead jobs.
	 * @param type the job type
	 * @param limit how many attempts and dead jobs to show, from 1 to
	 * {@value JobsEndpoint#MAX_HISTORY}; {@code null} for 20
	 * @return the type, or {@code null} (404 over HTTP) if it is unknown
	 */
	@ReadOperation
	public @Nullable QueueDetailDescriptor queue(@Selector String type, @Nullable Integer limit) {
		if (limit != null && (limit < 1 || limit > JobsEndpoint.MAX_HISTORY)) {
			throw new InvalidEndpointRequestException(JobsEndpoint.limitProblem(limit), "Invalid limit");
		}
		int count = (limit != null) ? limit : HISTORY;
		Optional<QueueInfo> info = find(type);
		if (info.isEmpty()) {
			return null;
		}
		return new QueueDetailDescriptor(describe(info.get()),
				this.history.recent(QueueEngine.historyName(type), count)
					.stream()
					.map(JobsEndpoint.ExecutionDescriptor::of)
					.toList(),
				this.queue.deadLetters(type, count).stream().map(JobDescriptor::of).toList());
	}

	/**
	 * One job.
	 * @param type the job type
	 * @param id the job id
	 * @return the job, or {@code null} (404 over HTTP) if there is none
	 */
	@ReadOperation
	public @Nullable JobDescriptor job(@Selector String type, @Selector String id) {
		if (find(type).isEmpty()) {
			return null;
		}
		return this.queue.get(type, id).map(JobDescriptor::of).orElse(null);
	}

	/**
	 * Pauses or resumes a type on every instance.
	 * @param type the job type
	 * @param action {@code pause} or {@code resume}
	 * @return what was done, or {@code null} if the type is unknown
	 */
	@WriteOperation
	public @Nullable ActionDescriptor actOnType(@Selector String type, @Nullable String action) {
		String requested = action(action, TYPE_ACTIONS);
		if (find(type).isEmpty()) {
			return null;
		}
		if (requested.equals("pause")) {
			this.queue.pause(type);
		}
		else {
			this.queue.resume(type);
		}
		return new ActionDescriptor(type, null, requested, true);
	}

	/**
	 * Requeues or deletes a dead job, or cancels a job that has not started.
	 * @param type the job type
	 * @param id the job id
	 * @param action {@code requeue}, {@code delete} or {@code cancel}
	 * @return what was done ({@code done} is {@code false} if the job was not in a state
	 * that allows it), or {@code null} if there is no such job
	 */
	@WriteOperation
	public @Nullable ActionDescriptor actOnJob(@Selector String type, @Selector String id, @Nullable String action) {
		String requested = action(action, JOB_ACTIONS);
		if (find(type).isEmpty() || this.queue.get(type, id).isEmpty()) {
			return null;
		}
		boolean done = switch (requested) {
			case "requeue" -> this.queue.requeue(id);
			case "delete" -> this.queue.deleteDeadLetter(id);
			default -> this.queue.cancel(id);
		};
		return new ActionDescriptor(type, id, requested, done);
	}

	private Optional<QueueInfo> find(String type) {
		return this.queue.queues().stream().filter((info) -> info.type().equals(type)).findFirst();
	}

	static String action(@Nullable String action, Set<String> allowed) {
		String requested = (action != null) ? action.trim().toLowerCase(Locale.ROOT) : null;
		if (requested == null || !allowed.contains(requested)) {
			throw new InvalidEndpointRequestException(((action != null) ? "Unknown action '" + action + "'"
					: "Missing action") + "; allowed actions are " + String.join(", ", allowed.stream().sorted().toList()),
					"Missing or unknown action");
		}
		return requested;
	}

	private TypeDescriptor describe(QueueInfo info) {
		JobsEndpoint.StatsDescriptor stats;
		try {
			stats = JobsEndpoint.StatsDescriptor.of(this.history.stats(QueueEngine.historyName(info.type())));
		}
		catch (RuntimeException ex) {
			stats = null;
		}
		return new TypeDescriptor(info.type(), info.ready(), info.delayed(), info.running(), info.dead(), info.paused(),
				info.handled(), stats);
	}

	/**
	 * Every type.
	 *
	 * @param queues the types, sorted
	 * @since 0.2.0
	 */
	public record QueuesDescriptor(List<TypeDescriptor> queues) {
	}

	/**
	 * One type.
	 *
	 * @param type the job type
	 * @param ready jobs waiting for a worker
	 * @param delayed jobs waiting for their time
	 * @param running jobs leased by an instance
	 * @param dead jobs in the dead letter
	 * @param paused whether the type is paused
	 * @param handled whether this instance runs jobs of the type
	 * @param stats statistics of the attempts, or {@code null} when the store cannot be
	 * reached
	 * @since 0.2.0
	 */
	public record TypeDescriptor(String type, long ready, long delayed, long running, long dead, boolean paused,
			boolean handled, JobsEndpoint.StatsDescriptor stats) {
	}

	/**
	 * One type with its recent attempts and dead jobs.
	 *
	 * @param queue the type
	 * @param history recent attempts, newest first
	 * @param deadLetters the latest dead jobs
	 * @since 0.2.0
	 */
	public record QueueDetailDescriptor(TypeDescriptor queue, List<JobsEndpoint.ExecutionDescriptor> history,
			List<JobDescriptor> deadLetters) {
	}

	/**
	 * One job.
	 *
	 * @param id the job id
	 * @param type the job type
	 * @param status where it stands
	 * @param payload the payload as JSON text
	 * @param payloadType the payload's Java class
	 * @param priority the priority
	 * @param attempts deliveries so far
	 * @param maxAttempts deliveries allowed, 0 for the handler's
	 * @param timeout the timeout it asked for, or {@code null}
	 * @param createdAt when it was enqueued
	 * @param scheduledAt when it may run next
	 * @param startedAt when its latest attempt started
	 * @param finishedAt when it ended
	 * @param lastError what its latest failed attempt threw
	 * @param instance the instance of its latest attempt
	 * @param fencingToken the fencing token of its latest attempt
	 * @since 0.2.0
	 */
	public record JobDescriptor(String id, String type, String status, String payload, String payloadType, int priority,
			int attempts, int maxAttempts, String timeout, Instant createdAt, Instant scheduledAt, Instant startedAt,
			Instant finishedAt, String lastError, String instance, long fencingToken) {

		static JobDescriptor of(QueuedJob job) {
			Duration timeout = job.timeout();
			return new JobDescriptor(job.id(), job.type(), job.status().name(), job.payload(), job.payloadType(),
					job.priority(), job.attempts(), job.maxAttempts(), (timeout != null) ? Durations.format(timeout) : null,
					job.createdAt(), job.scheduledAt(), job.startedAt(), job.finishedAt(), job.lastError(), job.instance(),
					job.fencingToken());
		}

	}

	/**
	 * What a write did.
	 *
	 * @param type the job type
	 * @param id the job id, for an action on a job
	 * @param action the action
	 * @param done whether it took effect
	 * @since 0.2.0
	 */
	public record ActionDescriptor(String type, String id, String action, boolean done) {
	}

}
