package io.tickwork;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tickwork.schedule.Schedule;

/**
 * The runtime API of Tickwork: list, inspect, pause, resume, run and define jobs.
 * <p>
 * With a shared store (Redis), pause and resume act on every instance. Every method
 * that takes a job name throws {@link NoSuchJobException} for an unknown name.
 * Implementations are thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface JobScheduler {

	/**
	 * Every registered job, sorted by name.
	 * @return the jobs
	 */
	List<JobInfo> jobs();

	/**
	 * One job.
	 * @param name the job name
	 * @return the job
	 */
	JobInfo job(String name);

	/**
	 * The next fire times of a job.
	 * @param name the job name
	 * @param count how many fire times to compute
	 * @return up to {@code count} future fire times, empty for a disabled or finished
	 * job; at most one for a fixed-delay job, whose next fire after that depends on when
	 * its execution ends
	 */
	List<Instant> nextFireTimes(String name, int count);

	/**
	 * Pauses a job: its fires are recorded as skipped until it is resumed.
	 * @param name the job name
	 */
	void pause(String name);

	/**
	 * Resumes a paused job.
	 * @param name the job name
	 */
	void resume(String name);

	/**
	 * Pauses every job that carries a tag.
	 * @param tag the tag
	 * @return names of the jobs paused
	 */
	Set<String> pauseTag(String tag);

	/**
	 * Resumes every job that carries a tag.
	 * @param tag the tag
	 * @return names of the jobs resumed
	 */
	Set<String> resumeTag(String tag);

	/**
	 * Runs a job now, outside its schedule. The run still claims the job's lock, so it
	 * never overlaps a running execution unless the job's overlap policy allows it.
	 * @param name the job name
	 * @return a future completed with the finished or skipped execution
	 */
	JobRun trigger(String name);

	/**
	 * Recent executions of a job, newest first.
	 * @param name the job name
	 * @param limit the maximum number of executions
	 * @return the executions
	 */
	List<JobExecution> history(String name, int limit);

	/**
	 * Statistics of a job's executions.
	 * @param name the job name
	 * @return the statistics
	 */
	JobStats stats(String name);

	/**
	 * The jobs that have a tag, by name.
	 * @param tag the tag
	 * @return the jobs, empty if none has the tag
	 * @since 0.1.0
	 */
	default List<JobInfo> jobs(String tag) {
		return jobs().stream().filter((job) -> job.tags().contains(tag)).toList();
	}

	/**
	 * Statistics of every job, in one call.
	 * @return the statistics by job name, in name order
	 * @since 0.1.0
	 */
	default Map<String, JobStats> stats() {
		Map<String, JobStats> stats = new LinkedHashMap<>();
		for (JobInfo job : jobs()) {
			stats.put(job.name(), stats(job.name()));
		}
		return stats;
	}

	/**
	 * Finds an execution of any job by its id, among the executions each job keeps
	 * ({@code tickwork.history.max-per-job}); it reads the history of every job, so it is
	 * an operator's lookup, not one for a hot path.
	 * @param id the execution id
	 * @return the execution, or empty if no job keeps it
	 * @since 0.1.0
	 */
	Optional<JobExecution> execution(String id);

	/**
	 * Defines a job in code, with the default policies, or replaces the job of the same
	 * name that was defined in code.
	 * @param name the job name
	 * @param schedule when the job fires; {@link Schedule#once} for a one-time job
	 * @param task what the job does
	 * @return the registered job
	 * @throws IllegalStateException if a job declared by the application (such as by
	 * {@code @ScheduledJob}) has the name
	 */
	default JobInfo schedule(String name, Schedule schedule, JobTask task) {
		return schedule(JobDefinition.builder(name, schedule, task).source("JobScheduler.schedule").build());
	}

	/**
	 * Defines a job in code or replaces the job of the same name that was defined in
	 * code. Per-job properties ({@code tickwork.jobs.<name>.*}) apply to it.
	 * @param definition the job definition
	 * @return the registered job
	 * @throws IllegalStateException if a job declared by the application (such as by
	 * {@code @ScheduledJob}) has the name
	 */
	JobInfo schedule(JobDefinition definition);

	/**
	 * Defines several jobs in code at once, as {@link #schedule(JobDefinition)} defines
	 * each. Tickwork's engine reads their pauses and last executions from the store
	 * together (one round trip for the lot instead of one per job) and checks every
	 * definition (its name, its per-job properties) before it schedules any, so that a bad
	 * one schedules none; this default schedules them one by one.
	 * @param definitions the job definitions, each name once
	 * @return the registered jobs, in the order given
	 * @throws IllegalArgumentException if a name appears twice
	 * @throws IllegalStateException if a job declared by the application (such as by
	 * {@code @ScheduledJob}) has one of the names
	 * @since 0.2.0
	 */
	default List<JobInfo> scheduleAll(Collection<JobDefinition> definitions) {
		return definitions.stream().map(this::schedule).toList();
	}

	/**
	 * Removes a job: it fires no more; an execution in progress finishes. Its history is
	 * kept.
	 * @param name the job name
	 */
	void remove(String name);

	/**
	 * Removes every job that has a tag, as {@link #remove(String)} does.
	 * @param tag the tag
	 * @return the names of the removed jobs
	 * @since 0.1.0
	 */
	Set<String> removeTag(String tag);

}
