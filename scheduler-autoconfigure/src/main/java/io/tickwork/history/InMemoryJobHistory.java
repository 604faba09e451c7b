package io.tickwork.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobStats;

/**
 * {@link JobHistory} kept in this JVM: the newest {@code maxPerJob} executions of each
 * job, none older than the time to live, and statistics over every execution recorded
 * since startup. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class InMemoryJobHistory implements JobHistory {

	private final Clock clock;

	private final int maxPerJob;

	private final Duration ttl;

	private final ConcurrentHashMap<String, Log> logs = new ConcurrentHashMap<>();

	/**
	 * Creates a new instance.
	 * @param clock the clock that ages records
	 * @param maxPerJob the maximum number of executions kept per job
	 * @param ttl how long an execution is kept
	 */
	public InMemoryJobHistory(Clock clock, int maxPerJob, Duration ttl) {
		if (maxPerJob < 1) {
			throw new IllegalArgumentException("maxPerJob must be at least 1, was " + maxPerJob);
		}
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.maxPerJob = maxPerJob;
		this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
	}

	@Override
	public void record(JobExecution execution) {
		Log log = this.logs.computeIfAbsent(execution.job(), (job) -> new Log());
		synchronized (log) {
			log.record(execution, this.maxPerJob);
		}
	}

	@Override
	public List<JobExecution> recent(String job, int limit) {
		Log log = this.logs.get(job);
		if (log == null || limit <= 0) {
			return List.of();
		}
		Instant oldest = this.clock.instant().minus(this.ttl);
		synchronized (log) {
			List<JobExecution> result = new ArrayList<>(Math.min(limit, log.executions.size()));
			for (Iterator<JobExecution> it = log.executions.descendingIterator(); it.hasNext()
					&& result.size() < limit;) {
				JobExecution execution = it.next();
				if (!execution.startedAt().isBefore(oldest) || !execution.status().isFinished()) {
					result.add(execution);
				}
			}
			return result;
		}
	}

	@Override
	public JobStats stats(String job) {
		Log log = this.logs.get(job);
		if (log == null) {
			return JobStats.EMPTY;
		}
		synchronized (log) {
			return log.stats.toStats();
		}
	}

	/** Executions of one job, oldest first, indexed by id, plus their statistics. */
	private static final class Log {

		private final ArrayDeque<JobExecution> executions = new ArrayDeque<>();

		private final HashMap<String, JobExecution> byId = new HashMap<>();

		private final StatsAccumulator stats = new StatsAccumulator();

		void record(JobExecution execution, int max) {
			JobExecution existing = this.byId.get(execution.id());
			if (existing != null) {
				boolean replacesGuess = existing.status() == ExecutionStatus.ABANDONED
						&& execution.status().isFinished() && execution.status() != ExecutionStatus.ABANDONED;
				if (existing.status().isFinished() && !replacesGuess) {
					return;
				}
				if (replacesGuess) {
					this.stats.removeAbandoned();
				}
				removeLastOccurrence(existing);
			}
			this.executions.addLast(execution);
			this.byId.put(execution.id(), execution);
			this.stats.add(execution);
			while (this.executions.size() > max) {
				this.byId.remove(this.executions.removeFirst().id());
			}
		}

		private void removeLastOccurrence(JobExecution execution) {
			for (Iterator<JobExecution> it = this.executions.descendingIterator(); it.hasNext();) {
				if (it.next() == execution) {
					it.remove();
					return;
				}
			}
		}

	}

}
