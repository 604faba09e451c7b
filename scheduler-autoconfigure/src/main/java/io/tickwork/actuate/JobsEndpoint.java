package io.tickwork.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.JobScheduler;
import io.tickwork.JobStats;
import io.tickwork.NoSuchJobException;
import io.tickwork.SkipReason;
import io.tickwork.schedule.Durations;

/**
 * {@link Endpoint @Endpoint} that lists Tickwork's jobs with their history and lets an
 * operator pause, resume or run them; with Redis, pause and resume act on every instance.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@Endpoint(id = "jobs")
public class JobsEndpoint {

	/**
	 * The actions a write operation accepts.
	 */
	public static final Set<String> ACTIONS = Set.of("pause", "resume", "run");

	private static final int NEXT_FIRES = 3;

	/**
	 * The most executions one read of a job shows.
	 * @since 0.1.0
	 */
	public static final int MAX_HISTORY = 1000;

	private static final int HISTORY = 20;

	private final JobScheduler scheduler;

	/**
	 * Creates a new instance.
	 * @param scheduler the scheduler
	 */
	public JobsEndpoint(JobScheduler scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * Every job.
	 * @return the jobs
	 */
	@ReadOperation
	public JobsDescriptor jobs() {
		return new JobsDescriptor(this.scheduler.jobs().stream().map(this::describe).toList());
	}

	/**
	 * One job with its last 20 executions.
	 * @param name the job name
	 * @return the job, or {@code null} (404 over HTTP) if there is none
	 */
	public @Nullable JobDetailDescriptor job(String name) {
		return job(name, null);
	}

	/**
	 * One job with its recent history.
	 * @param name the job name
	 * @param limit how many executions to show, newest first, from 1 to
	 * {@value #MAX_HISTORY}; {@code null} for 20
	 * @return the job, or {@code null} (404 over HTTP) if there is none
	 * @since 0.1.0
	 */
	@ReadOperation
	public @Nullable JobDetailDescriptor job(@Selector String name, @Nullable Integer limit) {
		if (limit != null && (limit < 1 || limit > MAX_HISTORY)) {
			throw new InvalidEndpointRequestException(limitProblem(limit), "Invalid limit");
		}
		int count = (limit != null) ? limit : HISTORY;
		try {
			JobInfo info = this.scheduler.job(name);
			List<ExecutionDescriptor> history;
			try {
				history = this.scheduler.history(name, count).stream().map(ExecutionDescriptor::of).toList();
			}
			catch (NoSuchJobException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				history = null;
			}
			return new JobDetailDescriptor(describe(info), history);
		}
		catch (NoSuchJobException ex) {
			return null;
		}
	}

	/**
	 * One execution of a job, by its id, among those the job keeps.
	 * @param name the job name
	 * @param id the execution id
	 * @return the execution, or {@code null} (404 over HTTP) if the job or the execution
	 * is unknown
	 * @since 0.1.0
	 */
	@ReadOperation
	public @Nullable ExecutionDescriptor execution(@Selector String name, @Selector String id) {
		try {
			return this.scheduler.history(name, MAX_HISTORY)
				.stream()
				.filter((execution) -> execution.id().equals(id))
				.findFirst()
				.map(ExecutionDescriptor::of)
				.orElse(null);
		}
		catch (NoSuchJobException ex) {
			return null;
		}
	}

	/**
	 * Pauses, resumes or runs a job.
	 * @param name the job name
	 * @param action {@code pause}, {@code resume} or {@code run}
	 * @return what was done, or {@code null} if there is no such job
	 */
	@WriteOperation
	public @Nullable ActionDescriptor act(@Selector String name, @Nullable String action) {
		String problem = actionProblem(action);
		if (problem != null) {
			throw new InvalidEndpointRequestException(problem, "Missing or unknown action");
		}
		String requested = action.trim().toLowerCase(Locale.ROOT);
		try {
			return switch (requested) {
				case "pause" -> {
					this.scheduler.pause(name);
					yield new ActionDescriptor(name, requested, true, null);
				}
				case "resume" -> {
					this.scheduler.resume(name);
					yield new ActionDescriptor(name, requested, false, null);
				}
				default -> new ActionDescriptor(name, requested, null, this.scheduler.trigger(name).executionId());
			};
		}
		catch (NoSuchJobException ex) {
			return null;
		}
	}

	/**
	 * Why a limit was refused.
	 */
	static String limitProblem(Object limit) {
		return "Parameter 'limit' must be a whole number between 1 and " + MAX_HISTORY + ", was '" + limit + "'";
	}

	/**
	 * What is wrong with an action, or {@code null} if it is one of {@link #ACTIONS}.
	 */
	static @Nullable String actionProblem(@Nullable String action) {
		if (action != null && ACTIONS.contains(action.trim().toLowerCase(Locale.ROOT))) {
			return null;
		}
		return ((action != null) ? "Unknown action '" + action + "'" : "Missing action")
				+ "; allowed actions are pause, resume and run";
	}

	private JobDescriptor describe(JobInfo info) {
		StatsDescriptor stats;
		try {
			stats = StatsDescriptor.of(this.scheduler.stats(info.name()));
		}
		catch (NoSuchJobException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			stats = null;
		}
		return new JobDescriptor(info.name(), info.schedule(), (info.zone() != null) ? info.zone().getId() : null,
				this.scheduler.nextFireTimes(info.name(), NEXT_FIRES), info.enabled(), info.paused(), info.running(),
				info.tags(), (info.timeout() != null) ? Durations.format(info.timeout()) : null,
				info.retry().maxAttempts(), info.overlap().name(), info.misfire().name(),
				(info.lastExecution() != null) ? ExecutionDescriptor.of(info.lastExecution()) : null, stats);
	}

	/**
	 * Every job.
	 *
	 * @param jobs the jobs, sorted by name
	 *
	 * @since 0.1.0
	 */
	public record JobsDescriptor(List<JobDescriptor> jobs) {
	}

	/**
	 * One job.
	 *
	 * @param name the job name
	 * @param schedule the schedule as text
	 * @param zone the cron zone, or {@code null}
	 * @param nextFireTimes the next fire times
	 * @param enabled whether the job is enabled
	 * @param paused whether the job is paused
	 * @param running whether an execution runs on this instance
	 * @param tags the tags
	 * @param timeout the timeout of one attempt, or {@code null}
	 * @param maxAttempts attempts per fire
	 * @param overlap the overlap policy
	 * @param misfire the misfire policy
	 * @param lastExecution the latest execution, or {@code null}
	 * @param stats the statistics, or {@code null} when the store cannot be reached
	 *
	 * @since 0.1.0
	 */
	public record JobDescriptor(String name, String schedule, String zone, List<Instant> nextFireTimes,
			boolean enabled, boolean paused, boolean running, Set<String> tags, String timeout, int maxAttempts,
			String overlap, String misfire, ExecutionDescriptor lastExecution, StatsDescriptor stats) {
	}

	/**
	 * One job and its recent executions.
	 *
	 * @param job the job
	 * @param history recent executions, newest first, or {@code null} when the store
	 * cannot be reached
	 *
	 * @since 0.1.0
	 */
	public record JobDetailDescriptor(JobDescriptor job, List<ExecutionDescriptor> history) {
	}

	/**
	 * One execution.
	 *
	 * @param id the execution id
	 * @param status the status
	 * @param trigger what started it
	 * @param scheduledTime the scheduled time
	 * @param startedAt the start
	 * @param finishedAt the end, or {@code null}
	 * @param durationMillis the duration in milliseconds, or {@code null}
	 * @param attempts the attempts made
	 * @param error the error of a run that failed, or {@code null}
	 * @param skipReason why a fire was skipped ({@code locked}, {@code paused}, ...), or
	 * {@code null}
	 * @param skipDetail what a skip's record says beyond its reason, or {@code null}
	 * @param instance the instance that ran or skipped it
	 * @param fencingToken the fencing token
	 * @param metadata what the job kept with the execution
	 *
	 * @since 0.1.0
	 */
	public record ExecutionDescriptor(String id, String status, String trigger, Instant scheduledTime,
			Instant startedAt, Instant finishedAt, Long durationMillis, int attempts, String error, String skipReason,
			String skipDetail, String instance, long fencingToken, Map<String, String> metadata) {

		static ExecutionDescriptor of(JobExecution execution) {
			SkipReason skipReason = execution.skipReason();
			return new ExecutionDescriptor(execution.id(), execution.status().name(), execution.trigger().name(),
					execution.scheduledTime(), execution.startedAt(), execution.finishedAt(),
					(execution.duration() != null) ? execution.duration().toMillis() : null, execution.attempts(),
					(skipReason != null) ? null : execution.errorMessage(),
					(skipReason != null) ? skipReason.tag() : null, execution.skipDetail(), execution.instanceId(),
					execution.fencingToken(), execution.metadata());
		}

	}

	/**
	 * Statistics of a job.
	 *
	 * @param total finished executions
	 * @param succeeded succeeded executions
	 * @param failed failed, timed out, interrupted or abandoned executions
	 * @param skipped skipped fires
	 * @param lastSuccess end of the last success, or {@code null}
	 * @param lastFailure end of the last failure, or {@code null}
	 * @param lastError error of the last failure, or {@code null}
	 * @param minMillis shortest run in milliseconds, or {@code null}
	 * @param avgMillis mean run in milliseconds, or {@code null}
	 * @param maxMillis longest run in milliseconds, or {@code null}
	 * @param failureRate share of runs that failed, from 0 to 1
	 *
	 * @since 0.1.0
	 */
	public record StatsDescriptor(long total, long succeeded, long failed, long skipped, Instant lastSuccess,
			Instant lastFailure, String lastError, Long minMillis, Long avgMillis, Long maxMillis,
			double failureRate) {

		static StatsDescriptor of(JobStats stats) {
			return new StatsDescriptor(stats.total(), stats.succeeded(), stats.failed(), stats.skipped(),
					stats.lastSuccess(), stats.lastFailure(), stats.lastError(),
					(stats.minDuration() != null) ? stats.minDuration().toMillis() : null,
					(stats.avgDuration() != null) ? stats.avgDuration().toMillis() : null,
					(stats.maxDuration() != null) ? stats.maxDuration().toMillis() : null, stats.failureRate());
		}

	}

	/**
	 * What a write operation did.
	 *
	 * @param job the job name
	 * @param action the action
	 * @param paused whether the job is now paused, for pause and resume
	 * @param executionId the id of the started execution, for run
	 *
	 * @since 0.1.0
	 */
	public record ActionDescriptor(String job, String action, Boolean paused, String executionId) {
	}

}
