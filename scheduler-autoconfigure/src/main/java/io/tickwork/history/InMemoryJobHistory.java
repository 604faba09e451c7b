package io.tickwork.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobStats;

/**
 * {@link JobHistory} kept in this JVM: the newest {@code maxPerJob} executions of each
 * job, none older than the time to live, and statistics over every execution recorded
 * since startup. Thread-safe.
 * <p>
 * Executions are kept in primitive slots, with times to the microsecond as in Redis and
 * the engine's execution ids packed into two longs, so that recording an execution keeps
 * no new object alive: a busy history costs the garbage collector nothing to copy.
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
		Log log = this.logs.get(execution.job());
		if (log == null) {
			log = this.logs.computeIfAbsent(execution.job(), (job) -> new Log(this.maxPerJob));
		}
		synchronized (log) {
			log.record(execution);
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
			List<JobExecution> result = new ArrayList<>(Math.min(limit, log.size));
			for (int i = log.size - 1; i >= 0 && result.size() < limit; i--) {
				JobExecution execution = log.read(job, log.slot(i));
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

	/**
	 * Executions of one job in a ring of slots, oldest first, plus their statistics. The
	 * ring has the history's full size from the start: growing it would copy and promote
	 * every slot while the job runs.
	 */
	private static final class Log {

		private static final int LONGS = 6;

		private static final long NONE = Long.MIN_VALUE;

		private static final ExecutionStatus[] STATUSES = ExecutionStatus.values();

		private static final Trigger[] TRIGGERS = Trigger.values();

		/** Per slot: scheduled, started, finished (epoch micros), fencing, the packed id. */
		private final long[] longs;

		/** Per slot: status, trigger and attempts. */
		private final int[] meta;

		/** Per slot: the id when it cannot be packed, the error message, the instance. */
		private final String[] strings;

		private int head;

		private int size;

		private final StatsAccumulator stats = new StatsAccumulator();

		/** The packed id of the execution being recorded; guarded by this log. */
		private final long[] id = new long[2];

		/**
		 * At least the greatest packed id recorded (unsigned, high then low), or none: an
		 * id above it is not in the log, which spares the search of every slot when an
		 * execution is recorded for the first time, as the engine's ids grow with time.
		 */
		private boolean anyPacked;

		private long greatestHigh;

		private long greatestLow;

		/** What each execution's job kept with it; null for none, which is most. */
		private final Map<String, String>[] metadata;

		@SuppressWarnings("unchecked")
		Log(int max) {
			this.longs = new long[max * LONGS];
			this.meta = new int[max];
			this.strings = new String[max * 3];
			this.metadata = new Map[max];
		}

		int slot(int index) {
			return (this.head + index) % this.meta.length;
		}

		void record(JobExecution execution) {
			long[] id = this.id;
			boolean packed = ExecutionIdBits.pack(execution.id(), id);
			int found = (packed && abovePacked(id)) ? -1 : find(execution.id(), packed, id);
			if (found >= 0) {
				ExecutionStatus existing = STATUSES[this.meta[found] & 0xF];
				boolean replacesGuess = existing == ExecutionStatus.ABANDONED && execution.status().isFinished()
						&& execution.status() != ExecutionStatus.ABANDONED;
				if (existing.isFinished() && !replacesGuess) {
					return;
				}
				if (replacesGuess) {
					this.stats.removeAbandoned();
				}
				write(found, execution, packed, id);
				this.stats.add(execution);
				return;
			}
			int slot;
			if (this.size == this.meta.length) {
				slot = this.head;
				this.head = (this.head + 1) % this.meta.length;
			}
			else {
				slot = slot(this.size);
				this.size++;
			}
			write(slot, execution, packed, id);
			this.stats.add(execution);
		}

		/** Whether a packed id is above every packed id recorded; if so, it becomes the greatest. */
		private boolean abovePacked(long[] id) {
			int high = Long.compareUnsigned(id[0], this.greatestHigh);
			if (this.anyPacked && (high < 0 || (high == 0 && Long.compareUnsigned(id[1], this.greatestLow) <= 0))) {
				return false;
			}
			this.anyPacked = true;
			this.greatestHigh = id[0];
			this.greatestLow = id[1];
			return true;
		}

		/** The slot of the execution with this id, searched from the newest, or -1. */
		private int find(String text, boolean packed, long[] id) {
			for (int i = this.size - 1; i >= 0; i--) {
				int slot = slot(i);
				String stored = this.strings[slot * 3];
				if (packed ? (stored == null && this.longs[slot * LONGS + 4] == id[0]
						&& this.longs[slot * LONGS + 5] == id[1]) : text.equals(stored)) {
					return slot;
				}
			}
			return -1;
		}

		private void write(int slot, JobExecution execution, boolean packed, long[] id) {
			int at = slot * LONGS;
			this.longs[at] = micros(execution.scheduledTime());
			this.longs[at + 1] = micros(execution.startedAt());
			this.longs[at + 2] = (execution.finishedAt() != null) ? micros(execution.finishedAt()) : NONE;
			this.longs[at + 3] = execution.fencingToken();
			this.longs[at + 4] = id[0];
			this.longs[at + 5] = id[1];
			this.meta[slot] = execution.status().ordinal() | execution.trigger().ordinal() << 4
					| execution.attempts() << 8;
			store(slot * 3, packed ? null : execution.id());
			store(slot * 3 + 1, execution.errorMessage());
			store(slot * 3 + 2, execution.instanceId());
			Map<String, String> metadata = execution.metadata().isEmpty() ? null : execution.metadata();
			if (this.metadata[slot] != metadata) {
				this.metadata[slot] = metadata;
			}
		}

		/**
		 * Writes a reference only if it changes: the slots live in the old generation, and
		 * rewriting the same instance id would dirty a card for the collector to scan.
		 */
		private void store(int index, String value) {
			if (this.strings[index] != value) {
				this.strings[index] = value;
			}
		}

		JobExecution read(String job, int slot) {
			int at = slot * LONGS;
			String id = this.strings[slot * 3];
			if (id == null) {
				id = ExecutionIdBits.unpack(this.longs[at + 4], this.longs[at + 5]);
			}
			int meta = this.meta[slot];
			long finished = this.longs[at + 2];
			return new JobExecution(id, job, instant(this.longs[at]), instant(this.longs[at + 1]),
					(finished != NONE) ? instant(finished) : null, STATUSES[meta & 0xF], meta >>> 8,
					this.strings[slot * 3 + 1], this.strings[slot * 3 + 2], this.longs[at + 3],
					TRIGGERS[(meta >>> 4) & 0xF], this.metadata[slot]);
		}

		private static long micros(Instant instant) {
			return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
		}

		private static Instant instant(long micros) {
			return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
		}

	}

}
