package io.tickwork.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.SkipReason;
import io.tickwork.state.JobStateStore;

/**
 * Keeps Tickwork's lock, state and history in Redis through a
 * {@link StringRedisTemplate}; the Redis {@code JobLock}, {@code JobHistory} and
 * {@code JobStateStore} share one instance.
 * <p>
 * A job's keys, {@code <prefix>{<tag>}:<job>} and {@code <prefix>{<tag>}:<job>:history},
 * carry the hash tag of one of a bounded number of slot groups ({@link SlotGroups}), so
 * that on a Redis Cluster one script call serves many jobs. Claims, releases, renewals and
 * history writes are operations of one Lua script, {@code batch.lua}, whose arguments
 * and answers {@link ScriptCodec} reads and writes; a {@link ScriptPipe} sends the
 * operations that wait as one script call (group commit), so fires that are due
 * together share one round trip. Each caller waits for its own operation with its own
 * deadline, {@code command-timeout}. History records that cannot be written are kept in a
 * bounded local buffer and written when Redis answers again; records the bound drops
 * are counted and logged. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class RedisJobStore implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisJobStore.class);

	private static final String LOCK_NAMESPACE = "lock:";

	private static final String QUEUE_NAMESPACE = "queue:";

	private final StringRedisTemplate redis;

	private final Settings settings;

	private final Clock clock;

	private final ScriptPipe pipe;

	private final OrphanLeases orphans;

	private final HistoryBuffer buffer;

	private final SlotGroups groups;

	/** The script keys of each job, built and validated once. */
	private final Map<String, byte[][]> keys = new ConcurrentHashMap<>();

	/**
	 * Creates a new instance.
	 * @param redis the template
	 * @param settings the settings
	 * @param clock the clock that ages history records
	 */
	public RedisJobStore(StringRedisTemplate redis, Settings settings, Clock clock) {
		this.redis = Objects.requireNonNull(redis, "redis must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.groups = new SlotGroups(settings.slotGroups());
		this.pipe = new ScriptPipe(redis, settings.commandTimeout(),
				ScriptCodec.bytes(String.valueOf(settings.historyMaxPerJob()),
						String.valueOf(settings.historyTtl().toMillis()), String.valueOf(settings.fireWindow())));
		this.orphans = new OrphanLeases((orphan) -> submit(orphan.job(),
				ScriptCodec.releaseKind(orphan.exclusive(), false), ScriptCodec.orphanReleaseArguments(orphan)));
		this.buffer = new HistoryBuffer(settings.bufferSize(), this::write, this::writeAsync);
		this.pipe.onAnswer(() -> {
			this.orphans.redisAnswered();
			this.buffer.redisAnswered();
		});
	}

	// Operations, for the lock and the state store

	/** Queues one operation of the batch script on the job's keys, with the store's deadline. */
	ScriptOperation submit(String job, byte[] kind, String... arguments) {
		return this.pipe.submit(ScriptOperation.script(keys(job), kind, arguments));
	}

	/** Waits for an operation's answer, at most until the store's deadline. */
	String await(String job, ScriptOperation operation) {
		return answer(job, (String) this.pipe.await(operation.result));
	}

	/**
	 * The answer of an operation sent without waiting, read when Redis answers; the
	 * deadline keeper fails it with a {@link TimeoutException} at the store's deadline.
	 */
	<T> CompletionStage<T> async(String job, ScriptOperation operation, Function<String, T> reader) {
		return operation.result.handle((answer, ex) -> {
			if (ex != null) {
				throw this.pipe.failure((ex instanceof CompletionException) ? ex.getCause() : ex);
			}
			return reader.apply(answer(job, (String) answer));
		});
	}

	/**
	 * An operation whose caller gave up may still reach Redis, or may have: the lease it
	 * may hold is released (without a record) as soon as Redis answers again.
	 */
	void orphan(String job, String token, boolean exclusive, String executionId) {
		this.orphans.add(job, token, exclusive, executionId);
	}

	// State

	/** Claims a fire: 'f' (scheduled ms), or 'g' for one that stands for missed ones (scheduled, first, last ms). */
	JobStateStore.FireAnswer takeFire(String job, byte[] kind, String... arguments) {
		return ScriptCodec.fireAnswer(run(job, kind, arguments));
	}

	// History

	/**
	 * Records an execution, or buffers it locally if Redis cannot be reached.
	 * @param execution the execution
	 */
	void record(JobExecution execution) {
		this.buffer.record(execution);
	}

	/**
	 * Sends a record without waiting for it; buffers it locally if Redis cannot take it.
	 * @param execution the execution
	 */
	void recordWithoutWaiting(JobExecution execution) {
		this.buffer.recordWithoutWaiting(execution);
	}

	/** Writes a record, a buffered one again perhaps: looked up by id unless a queued attempt's. */
	private void write(JobExecution execution) {
		byte[] kind = (execution.trigger() == JobExecution.Trigger.QUEUE) ? ScriptCodec.WRITE_NEW : ScriptCodec.WRITE;
		run(execution.job(), kind, ScriptCodec.writeArguments(execution));
	}

	/**
	 * Whether a record's first write needs no look-up of its id: an attempt of a queued job
	 * (its id carries its fencing token), or a skipped fire, whose id this instance made for
	 * it, unless Redis was unreachable (every instance that found the fire records it under
	 * one id). A write sent again after a failure is looked up.
	 */
	private static boolean isNew(JobExecution execution) {
		return execution.trigger() == JobExecution.Trigger.QUEUE || (execution.status() == ExecutionStatus.SKIPPED
				&& execution.skipReason() != SkipReason.STORE_UNAVAILABLE);
	}

	/** Writes a record without waiting; a record Redis refuses is logged, not kept for later. */
	private CompletionStage<?> writeAsync(JobExecution execution) {
		byte[] kind = isNew(execution) ? ScriptCodec.WRITE_NEW : ScriptCodec.WRITE;
		// no caller waits for it: it may wait a few milliseconds to share a call
		return this.pipe.submit(ScriptOperation.deferrable(keys(execution.job()), kind,
				ScriptCodec.writeArguments(execution))).result
			.thenAccept((answer) -> {
				if (((String) answer).startsWith("E ")) {
					logger.warn("Redis refused the record of execution " + execution.id() + " of job '"
							+ execution.job() + "': " + ((String) answer).substring(2));
				}
			});
	}

	/**
	 * Writes buffered records while Redis answers; called before each write and
	 * periodically by the engine.
	 */
	public void flush() {
		this.buffer.flush();
	}

	/**
	 * Writes buffered records if Redis answers, and records as abandoned the running
	 * executions of the given jobs whose lease expired; never throws.
	 * @param jobs the jobs to check for abandoned executions
	 */
	public void maintain(Set<String> jobs) {
		try {
			flush();
			List<ScriptOperation> reaps = new ArrayList<>(jobs.size());
			for (String job : jobs) {
				reaps.add(submit(job, ScriptCodec.REAP));
			}
			for (ScriptOperation reap : reaps) {
				this.pipe.await(reap.result);
			}
		}
		catch (RuntimeException ex) {
			// Redis is away: the next round tries again
		}
	}

	/**
	 * Number of records held locally while Redis is unreachable.
	 * @return the buffered record count
	 */
	public int buffered() {
		return this.buffer.size();
	}

	/**
	 * Number of leases whose claim or release got no answer, kept to be released when
	 * Redis answers again.
	 * @return the count
	 */
	public int orphanLeases() {
		return this.orphans.size();
	}

	/**
	 * Where this store keeps its keys, for a log line: the Redis node, Cluster or Sentinel
	 * master, and the key prefix.
	 * @return the description
	 */
	public String describe() {
		return this.pipe.where() + ", keys under '" + this.settings.keyPrefix() + "'";
	}

	/**
	 * Number of records dropped because the buffer was full.
	 * @return the dropped record count
	 */
	public long dropped() {
		return this.buffer.dropped();
	}

	/** A read sent without waiting; {@link #await(CompletableFuture)} waits for it with the store's deadline. */
	<T> CompletableFuture<T> read(String job, byte[] kind, Function<String, T> reader, String... arguments) {
		return async(job, submit(job, kind, arguments), reader).toCompletableFuture();
	}

	/** When the oldest record the history keeps was written: its time to live ago. */
	Instant oldestKept() {
		return this.clock.instant().minus(this.settings.historyTtl());
	}

	/** Waits for a read, at most until the store's deadline. */
	<T> T await(CompletableFuture<T> read) {
		return this.pipe.await(read);
	}

	private byte[][] keys(String job) {
		byte[][] cached = this.keys.get(job);
		if (cached == null) {
			String state = stateKey(job);
			cached = ScriptCodec.bytes(state, state + ":history");
			if (this.keys.size() < 100_000) {
				this.keys.put(job, cached);
			}
		}
		return cached;
	}

	/**
	 * The key of a job's state hash: latest claimed fires, fencing counter, lock, pause,
	 * statistics; its history list's key adds {@code :history}. Both carry the hash tag of
	 * the job's slot group. A {@link io.tickwork.ClusterLocks} lock's state hash is that of
	 * the job {@code lock:<name>}, a name no job can take.
	 * @param job the job name
	 * @return the key, such as {@code tickwork:{g7}:reports}
	 */
	public String stateKey(String job) {
		// a cluster lock's name comes as 'lock:<name>', a queue's history as 'queue:<type>',
		// which no job name can take
		JobDefinition.checkName(job.startsWith(LOCK_NAMESPACE) ? job.substring(LOCK_NAMESPACE.length())
				: job.startsWith(QUEUE_NAMESPACE) ? job.substring(QUEUE_NAMESPACE.length()) : job);
		return this.settings.keyPrefix() + "{" + this.groups.tagOf(job) + "}:" + job;
	}

	/** The set of paused jobs' names, so that an instance finds them all in one read. */
	String pausedIndex() {
		return this.settings.keyPrefix() + "paused-jobs";
	}

	/** Runs one operation of the batch script and returns its answer. */
	private String run(String job, byte[] kind, String... arguments) {
		return answer(job, (String) this.pipe.await(submit(job, kind, arguments).result));
	}

	private static String answer(String job, String answer) {
		if (answer.startsWith("E ")) {
			throw new IllegalStateException("Redis refused a Tickwork operation on job '" + job + "': "
					+ answer.substring(2));
		}
		return answer;
	}

	/** Runs a command on a sender thread, alone, with the store's deadline. */
	<T> T call(Callable<T> command) {
		@SuppressWarnings("unchecked")
		T result = (T) this.pipe.await(this.pipe.submit(ScriptOperation.command(command)).result);
		return result;
	}

	StringRedisTemplate template() {
		return this.redis;
	}

	String keyPrefix() {
		return this.settings.keyPrefix();
	}

	Duration commandTimeout() {
		return this.settings.commandTimeout();
	}

	@Override
	public void close() {
		this.pipe.close();
		this.buffer.close();
	}

	/**
	 * Settings of the Redis store.
	 *
	 * @param keyPrefix prefix of every key, such as {@code tickwork:}
	 * @param commandTimeout deadline of each Redis command
	 * @param fireWindow how many of the latest claimed fires of each job are remembered
	 * @param historyMaxPerJob executions kept per job
	 * @param historyTtl how long executions are kept
	 * @param bufferSize records kept locally while Redis is unreachable
	 * @param slotGroups hash tags the jobs' keys are spread over (see
	 * {@link #DEFAULT_SLOT_GROUPS}); changing it moves every job's keys
	 * @since 0.1.0
	 */
	public record Settings(String keyPrefix, Duration commandTimeout, int fireWindow, int historyMaxPerJob,
			Duration historyTtl, int bufferSize, int slotGroups) {

		/**
		 * Hash tags the jobs' keys are spread over by default: one on each master of a
		 * Redis Cluster of three. The operations of the jobs of one tag share script
		 * calls, so fewer tags make fewer calls.
		 */
		public static final int DEFAULT_SLOT_GROUPS = 3;

		/**
		 * Settings with the default number of slot groups.
		 * @param keyPrefix prefix of every key, such as {@code tickwork:}
		 * @param commandTimeout deadline of each Redis command
		 * @param fireWindow how many of the latest claimed fires of each job are remembered
		 * @param historyMaxPerJob executions kept per job
		 * @param historyTtl how long executions are kept
		 * @param bufferSize records kept locally while Redis is unreachable
		 */
		public Settings(String keyPrefix, Duration commandTimeout, int fireWindow, int historyMaxPerJob,
				Duration historyTtl, int bufferSize) {
			this(keyPrefix, commandTimeout, fireWindow, historyMaxPerJob, historyTtl, bufferSize,
					DEFAULT_SLOT_GROUPS);
		}

		/**
		 * Checks the settings.
		 */
		public Settings {
			Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
			if (keyPrefix.contains("{") || keyPrefix.contains("}")) {
				throw new IllegalArgumentException("keyPrefix must not contain '{' or '}', was '" + keyPrefix + "'");
			}
			if (fireWindow < 1 || historyMaxPerJob < 1 || bufferSize < 1) {
				throw new IllegalArgumentException("fireWindow, historyMaxPerJob and bufferSize must be at least 1");
			}
			if (slotGroups < 1 || slotGroups > 1024) {
				throw new IllegalArgumentException("slotGroups must be between 1 and 1024, was " + slotGroups);
			}
		}

	}

}
