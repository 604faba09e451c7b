package io.tickwork.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobStats;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.Lease;

/**
 * Keeps Tickwork's lock, state and history in Redis through a
 * {@link StringRedisTemplate}; the Redis {@code JobLock}, {@code JobHistory} and
 * {@code JobStateStore} share one instance.
 * <p>
 * Every key of a job carries the hash tag {@code {job}}, so each script touches one
 * cluster slot. Claims and releases are single Lua scripts, loaded once and called by
 * SHA. Each command has its own deadline, shorter than the lock's time to live, whatever
 * the connection factory's timeout. History records that cannot be written are kept in
 * a bounded local buffer and written when Redis answers again; records the bound drops
 * are counted and logged. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class RedisJobStore implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisJobStore.class);

	private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

	private final StringRedisTemplate redis;

	private final Settings settings;

	private final Clock clock;

	private final ExecutorService commands;

	private final RedisScript<String> claimScript;

	private final RedisScript<Long> extendScript;

	private final RedisScript<Long> releaseScript;

	private final RedisScript<Long> recordScript;

	private final RedisScript<Long> claimFireScript;

	private final RedisScript<Long> reapScript;

	private final ArrayDeque<String[]> buffer = new ArrayDeque<>();

	private final AtomicLong dropped = new AtomicLong();

	/** The script keys of each job, built and validated once. */
	private final Map<String, List<String>> keys = new java.util.concurrent.ConcurrentHashMap<>();

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
		AtomicInteger count = new AtomicInteger();
		this.commands = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "tickwork-redis-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		String common = load("common.lua");
		this.claimScript = RedisScript.of(common + load("claim.lua"), String.class);
		this.extendScript = script(common, "extend.lua");
		this.releaseScript = script(common, "release.lua");
		this.recordScript = script(common, "record.lua");
		this.claimFireScript = script(common, "claim-fire.lua");
		this.reapScript = script(common, "reap.lua");
		this.commands.execute(this::warmUp);
	}

	/**
	 * Connects and loads the scripts ahead of the first claim, so that connection setup
	 * does not count against the first command's deadline.
	 */
	private void warmUp() {
		try {
			this.redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
				for (RedisScript<?> script : List.of(this.claimScript, this.extendScript, this.releaseScript,
						this.recordScript, this.claimFireScript, this.reapScript)) {
					connection.scriptingCommands().scriptLoad(script.getScriptAsString().getBytes(StandardCharsets.UTF_8));
				}
				return null;
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is not reachable yet; Tickwork will retry on each command: " + ex);
		}
	}

	private static RedisScript<Long> script(String common, String name) {
		return new DefaultRedisScript<>(common + load(name), Long.class);
	}

	private static String load(String name) {
		try (InputStream in = RedisJobStore.class.getResourceAsStream(name)) {
			return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8) + "\n";
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read Tickwork script " + name, ex);
		}
	}

	// Lock

	Claim claim(ClaimRequest request, boolean recordHistory) {
		String token = token();
		JobExecution running = new JobExecution(request.executionId(), request.job(), request.scheduledTime(),
				request.requestedAt(), null, io.tickwork.ExecutionStatus.RUNNING, 0, null, request.instanceId(), 0,
				request.trigger());
		String answer = call(() -> this.redis.execute(this.claimScript, keys(request.job()),
				String.valueOf(request.scheduledTime().toEpochMilli()), flag(request.checksFire()),
				flag(request.exclusive()), String.valueOf(request.ttl().toMillis()), token, request.executionId(),
				ExecutionCodec.encode(running), String.valueOf(this.settings.fireWindow()), historyMax(recordHistory),
				historyTtl()));
		if (answer == null || answer.isEmpty()) {
			throw new IllegalStateException("Redis answered nothing to a claim of job '" + request.job() + "'");
		}
		return switch (answer.charAt(0)) {
			case 'A' -> {
				String[] parts = answer.split(" ");
				yield Claim.acquired(new Lease(request.job(), token, Long.parseLong(parts[1]), request.scheduledTime(),
						request.exclusive(), request.executionId()));
			}
			case 'C' -> Claim.rejected(Claim.Status.ALREADY_CLAIMED);
			case 'P' -> Claim.rejected(Claim.Status.PAUSED);
			case 'L' -> Claim.rejected(Claim.Status.LOCKED);
			default -> throw new IllegalStateException("Unexpected claim answer from Redis: " + answer);
		};
	}

	boolean extend(Lease lease, Duration ttl) {
		Long held = call(() -> this.redis.execute(this.extendScript, keys(lease.job()), lease.token(),
				flag(lease.exclusive()), lease.executionId(), String.valueOf(ttl.toMillis())));
		return held != null && held == 1;
	}

	boolean release(Lease lease, JobExecution execution, boolean recordHistory) {
		Long held = call(() -> this.redis.execute(this.releaseScript, keys(lease.job()), lease.token(),
				flag(lease.exclusive()), lease.executionId(), ExecutionCodec.encode(execution), historyMax(recordHistory),
				historyTtl()));
		return held != null && held == 1;
	}

	private static String token() {
		byte[] bytes = new byte[16];
		RANDOM.get().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	// State

	boolean isPaused(String job) {
		return Boolean.TRUE.equals(call(() -> this.redis.hasKey(key(job, "paused"))));
	}

	void pause(String job) {
		call(() -> {
			this.redis.opsForValue().set(key(job, "paused"), "1");
			return this.redis.opsForSet().add(pausedIndex(), job);
		});
	}

	void resume(String job) {
		call(() -> {
			this.redis.delete(key(job, "paused"));
			return this.redis.opsForSet().remove(pausedIndex(), job);
		});
	}

	Set<String> pausedJobs() {
		Set<String> members = call(() -> this.redis.opsForSet().members(pausedIndex()));
		return (members != null) ? new TreeSet<>(members) : Set.of();
	}

	Optional<Instant> lastFire(String job) {
		Set<String> latest = call(() -> this.redis.opsForZSet().reverseRange(key(job, "fires"), 0, 0));
		return (latest == null || latest.isEmpty()) ? Optional.empty()
				: Optional.of(Instant.ofEpochMilli(Long.parseLong(latest.iterator().next())));
	}

	boolean claimFire(String job, Instant fire) {
		Long recorded = call(() -> this.redis.execute(this.claimFireScript, keys(job),
				String.valueOf(fire.toEpochMilli()), String.valueOf(this.settings.fireWindow())));
		return recorded != null && recorded == 1;
	}

	// History

	/**
	 * Records an execution, or buffers it locally if Redis cannot be reached.
	 * @param execution the execution
	 */
	void record(JobExecution execution) {
		String[] entry = { execution.job(), ExecutionCodec.encode(execution) };
		try {
			flush();
			write(entry);
		}
		catch (RuntimeException ex) {
			buffer(entry, ex);
		}
	}

	private void write(String[] entry) {
		call(() -> this.redis.execute(this.recordScript, keys(entry[0]), entry[1], historyMax(true), historyTtl()));
	}

	private void buffer(String[] entry, RuntimeException cause) {
		synchronized (this.buffer) {
			if (this.buffer.size() >= this.settings.bufferSize()) {
				this.buffer.removeFirst();
				long total = this.dropped.incrementAndGet();
				if (total == 1 || total % 1000 == 0) {
					logger.error("Redis is unreachable and the history buffer is full (" + this.settings.bufferSize()
							+ " records): " + total + " execution record(s) dropped so far");
				}
			}
			if (this.buffer.isEmpty()) {
				logger.warn("Redis is unreachable; buffering execution records until it returns: " + cause);
			}
			this.buffer.addLast(entry);
		}
	}

	/**
	 * Writes buffered records while Redis answers; called before each write and
	 * periodically by the engine.
	 */
	public void flush() {
		while (true) {
			String[] entry;
			synchronized (this.buffer) {
				entry = this.buffer.peekFirst();
			}
			if (entry == null) {
				return;
			}
			write(entry);
			synchronized (this.buffer) {
				if (this.buffer.peekFirst() == entry) {
					this.buffer.removeFirst();
					if (this.buffer.isEmpty()) {
						logger.info("Redis is back; buffered execution records written");
					}
				}
			}
		}
	}

	/**
	 * Writes buffered records if Redis answers, and records as abandoned the running
	 * executions of the given jobs whose lease expired; never throws.
	 * @param jobs the jobs to check for abandoned executions
	 */
	public void maintain(Set<String> jobs) {
		try {
			flush();
			for (String job : jobs) {
				call(() -> this.redis.execute(this.reapScript, keys(job), historyMax(true), historyTtl()));
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
		synchronized (this.buffer) {
			return this.buffer.size();
		}
	}

	/**
	 * Number of records dropped because the buffer was full.
	 * @return the dropped record count
	 */
	public long dropped() {
		return this.dropped.get();
	}

	List<JobExecution> recent(String job, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		List<String> ids = call(() -> this.redis.opsForList().range(key(job, "history"), 0, limit - 1));
		if (ids == null || ids.isEmpty()) {
			return List.of();
		}
		List<Object> values = call(
				() -> this.redis.opsForHash().multiGet(key(job, "executions"), new ArrayList<Object>(ids)));
		Instant oldest = this.clock.instant().minus(this.settings.historyTtl());
		List<JobExecution> result = new ArrayList<>(ids.size());
		for (Object value : values) {
			if (value != null) {
				JobExecution execution = ExecutionCodec.decode((String) value);
				if (!execution.startedAt().isBefore(oldest) || !execution.status().isFinished()) {
					result.add(execution);
				}
			}
		}
		return result;
	}

	JobStats stats(String job) {
		Map<Object, Object> stats = call(() -> this.redis.opsForHash().entries(key(job, "stats")));
		if (stats == null || stats.isEmpty()) {
			return JobStats.EMPTY;
		}
		long runs = number(stats, "runs");
		String lastError = (String) stats.get("lastError");
		return new JobStats(number(stats, "total"), number(stats, "succeeded"), number(stats, "failed"),
				number(stats, "skipped"), instant(stats, "lastSuccess"), instant(stats, "lastFailure"),
				(lastError == null || lastError.isEmpty()) ? null : ExecutionCodec.unescape(lastError),
				(runs > 0) ? Duration.ofNanos(number(stats, "minMicros") * 1000) : null,
				(runs > 0) ? Duration.ofNanos(number(stats, "totalMicros") / runs * 1000) : null,
				(runs > 0) ? Duration.ofNanos(number(stats, "maxMicros") * 1000) : null);
	}

	private static long number(Map<Object, Object> stats, String name) {
		Object value = stats.get(name);
		return (value != null) ? Long.parseLong((String) value) : 0;
	}

	private static Instant instant(Map<Object, Object> stats, String name) {
		return ExecutionCodec.instant((String) stats.get(name));
	}

	// Plumbing

	private String historyMax(boolean recordHistory) {
		return recordHistory ? String.valueOf(this.settings.historyMaxPerJob()) : "0";
	}

	private String historyTtl() {
		return String.valueOf(this.settings.historyTtl().toMillis());
	}

	private static String flag(boolean value) {
		return value ? "1" : "0";
	}

	List<String> keys(String job) {
		List<String> cached = this.keys.get(job);
		if (cached == null) {
			cached = List.of(key(job, "lock"), key(job, "fence"), key(job, "fires"), key(job, "paused"),
					key(job, "running"), key(job, "history"), key(job, "executions"), key(job, "stats"));
			if (this.keys.size() < 100_000) {
				this.keys.put(job, cached);
			}
		}
		return cached;
	}

	String key(String job, String suffix) {
		JobDefinition.checkName(job);
		return this.settings.keyPrefix() + "{" + job + "}:" + suffix;
	}

	private String pausedIndex() {
		return this.settings.keyPrefix() + "paused-jobs";
	}

	/**
	 * Runs a Redis command with the store's deadline, whatever the connection factory's
	 * own timeout is.
	 */
	private <T> T call(Callable<T> command) {
		Future<T> future = this.commands.submit(command);
		try {
			return future.get(this.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new QueryTimeoutException(
					"Redis did not answer within " + this.settings.commandTimeout().toMillis() + "ms");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(true);
			throw new QueryTimeoutException("Interrupted while waiting for Redis");
		}
	}

	@Override
	public void close() {
		this.commands.shutdownNow();
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
	 * @since 0.1.0
	 */
	public record Settings(String keyPrefix, Duration commandTimeout, int fireWindow, int historyMaxPerJob,
			Duration historyTtl, int bufferSize) {

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
		}

	}

}
