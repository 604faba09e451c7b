package io.tickwork;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * A snapshot of one registered job, as {@link JobScheduler} reports it. Immutable.
 * <p>
 * {@code paused} and {@code lastExecution} come from the stores; when they cannot be
 * reached, the snapshot shows {@code false} and {@code null}.
 *
 * @param name the job name
 * @param schedule the schedule as text, such as {@code cron 0 9 * * MON} or
 * {@code every 30s}
 * @param zone zone of a cron schedule, {@code null} for other schedules
 * @param nextFireTime next time the job fires, {@code null} if it never will or is
 * disabled
 * @param enabled whether the job is enabled
 * @param paused whether the job is paused
 * @param running whether an execution of the job runs on this instance
 * @param lastExecution the most recent recorded execution, or {@code null}
 * @param tags the job's tags
 * @param timeout timeout of one attempt, or {@code null} if none
 * @param retry the retry policy
 * @param overlap the overlap policy
 * @param misfire the misfire policy
 * @author Tickwork team
 * @since 0.1.0
 */
public record JobInfo(String name, String schedule, ZoneId zone, Instant nextFireTime, boolean enabled,
		boolean paused, boolean running, JobExecution lastExecution, Set<String> tags, Duration timeout,
		RetryPolicy retry, Overlap overlap, Misfire misfire) {

}
