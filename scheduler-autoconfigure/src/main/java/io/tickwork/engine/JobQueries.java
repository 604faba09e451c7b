package io.tickwork.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.history.JobHistory;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.JobStateStore;

/**
 * What the runtime API reads of a job: its description with its pause and last
 * execution from the stores, and its next fire times. Stateless.
 */
final class JobQueries {

	private static final Logger logger = LoggerFactory.getLogger(JobQueries.class);

	private JobQueries() {
	}

	/** How many of each job's executions {@link #execution} looks through. */
	private static final int EXECUTION_SEARCH_LIMIT = 10_000;

	/** How many jobs' histories {@link #execution} asks for before it waits for them. */
	private static final int EXECUTION_SEARCH_BATCH = 64;

	/**
	 * An execution of any of the given jobs by its id, among the latest each keeps. The
	 * histories of {@value #EXECUTION_SEARCH_BATCH} jobs are asked for before any is
	 * awaited, so that a store that sends requests together reads them in a few round
	 * trips, and few are held at once.
	 */
	static Optional<JobExecution> execution(String id, Collection<String> jobs, JobHistory history) {
		List<String> names = List.copyOf(jobs);
		for (int from = 0; from < names.size(); from += EXECUTION_SEARCH_BATCH) {
			List<CompletableFuture<List<JobExecution>>> reads = new ArrayList<>(EXECUTION_SEARCH_BATCH);
			for (String name : names.subList(from, Math.min(names.size(), from + EXECUTION_SEARCH_BATCH))) {
				reads.add(ask(() -> history.recentAsync(name, EXECUTION_SEARCH_LIMIT)));
			}
			for (CompletableFuture<List<JobExecution>> read : reads) {
				for (JobExecution execution : await(read)) {
					if (execution.id().equals(id)) {
						return Optional.of(execution);
					}
				}
			}
		}
		return Optional.empty();
	}

	/** A read's answer; a store's failure is thrown as the store threw it. */
	private static <T> T await(CompletableFuture<T> read) {
		try {
			return read.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * Jobs' descriptions: every job's pause and last execution are asked for before any
	 * answer is awaited, so that a store that sends requests together reads them in a
	 * few round trips.
	 */
	static List<JobInfo> infos(List<Job> jobs, JobStateStore state, JobHistory history) {
		List<Reads> reads = new ArrayList<>(jobs.size());
		for (Job job : jobs) {
			reads.add(read(job.name, state, history));
		}
		List<JobInfo> infos = new ArrayList<>(jobs.size());
		for (int i = 0; i < jobs.size(); i++) {
			infos.add(reads.get(i).info(jobs.get(i)));
		}
		return infos;
	}

	/** Asks for a job's pause and last execution, without waiting for the answers. */
	static Reads read(String job, JobStateStore state, JobHistory history) {
		return new Reads(ask(() -> state.isPausedAsync(job)), ask(() -> history.recentAsync(job, 1)));
	}

	private static <T> CompletableFuture<T> ask(Supplier<CompletableFuture<T>> read) {
		try {
			return read.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/** A job's pause and last execution, asked for. */
	record Reads(CompletableFuture<Boolean> paused, CompletableFuture<List<JobExecution>> recent) {

		/** The job's description; a store that cannot be read leaves its part out. */
		JobInfo info(Job job) {
			JobDefinition definition = job.definition;
			boolean running;
			synchronized (job) {
				running = job.running > 0;
			}
			boolean isPaused = false;
			JobExecution last = null;
			try {
				isPaused = this.paused.join();
				List<JobExecution> executions = this.recent.join();
				last = executions.isEmpty() ? null : executions.get(0);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not read the state of job '{}': {}", job.name, ex.toString());
			}
			return new JobInfo(job.name, definition.schedule().toString(), definition.schedule().zone(),
					job.nextFire(), definition.enabled(), isPaused, running, last, definition.tags(),
					definition.timeout(), definition.retry(), definition.overlap(), definition.misfire());
		}

	}

	/** Up to {@code count} next fire times, from the one armed. */
	static List<Instant> nextFireTimes(Job job, int count) {
		List<Instant> times = new ArrayList<>();
		Instant next = job.nextFire();
		Schedule schedule = job.definition.schedule();
		while (next != null && times.size() < count) {
			times.add(next);
			next = schedule.fromCompletion() ? null : schedule.next(next).orElse(null);
		}
		return times;
	}

}
