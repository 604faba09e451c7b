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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.ClassUtils;

import io.tickwork.ExecutionStatus;
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
 * Every key of a job carries the hash tag {@code {job}}. Claims, releases, renewals and
 * history writes are operations of one Lua script, loaded once and called by SHA: a
 * sender thread sends whatever operations are waiting as one script call (group commit),
 * so fires that are due together share one round trip; three senders keep calls in
 * preparation while Redis runs another. On a Redis Cluster a call only carries the
 * operations of one hash slot. Each caller waits for its own operation with
 * its own deadline, shorter than the lock's time to live, whatever the connection
 * factory's timeout; an operation whose caller gave up before it was sent is never sent.
 * History records that cannot be written are kept in a bounded local buffer and written
 * when Redis answers again; records the bound drops are counted and logged. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class RedisJobStore implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisJobStore.class);

	private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

	/** Most operations sent in one script call, which Redis runs without interleaving. */
	private static final int MAX_BATCH = 128;

	/**
	 * Script calls in flight at once: while Redis runs one, the next is prepared, and a
	 * third keeps Redis busy while a sender hands the answers of its call to their callers
	 * (two left Redis idle a fifth of the time at full load). Each caller has one
	 * operation in flight, so its operations keep their order.
	 */
	private static final int SENDERS = 3;

	private static final int KEYS_PER_OPERATION = 2;

	private static final String FENCING_PLACEHOLDER = "\"fencing\":0,";

	/** The script's claim operations, by check fire and pause, exclusive and record history. */
	private static final byte[][] CLAIMS = bytes("c000", "c001", "c010", "c011", "c100", "c101", "c110", "c111");

	/** The script's release operations, by exclusive and record history. */
	private static final byte[][] RELEASES = bytes("r00", "r01", "r10", "r11");

	private static final byte[] EXTEND_EXCLUSIVE = "x1".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EXTEND = "x0".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] WRITE = "w".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] REAP = "p".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] READ_FIRE = "l".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CLAIM_FIRE = "f".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] READ_HISTORY = "h".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] READ_STATS = "s".getBytes(StandardCharsets.US_ASCII);

	/**
	 * Longest the deadline keeper sleeps while operations wait: a bound on how late it
	 * notices one that a sender had taken but not yet shown to it.
	 */
	private static final long KEEPER_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final StringRedisTemplate redis;

	private final Settings settings;

	private final Clock clock;

	private final boolean singleSlot;

	private final RedisScript<List> batchScript;

	private final byte[] scriptSha;

	/** The script's leading arguments: history max per job, history ttl, fire window. */
	private final byte[][] scriptSettings;

	private final BlockingQueue<Operation> operations = new LinkedBlockingQueue<>();

	private final List<Thread> senders;

	/** The operations each sender has in hand, in the order they were submitted; null when idle. */
	private final AtomicReferenceArray<Operation[]> inHand = new AtomicReferenceArray<>(SENDERS);

	private final Thread deadlineKeeper;

	private volatile boolean closed;

	private final ArrayDeque<JobExecution> buffer = new ArrayDeque<>();

	private final AtomicLong dropped = new AtomicLong();

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
		this.singleSlot = isStandalone(redis.getConnectionFactory());
		this.batchScript = RedisScript.of(load("batch.lua"), List.class);
		this.scriptSha = this.batchScript.getSha1().getBytes(StandardCharsets.US_ASCII);
		this.scriptSettings = bytes(String.valueOf(settings.historyMaxPerJob()),
				String.valueOf(settings.historyTtl().toMillis()), String.valueOf(settings.fireWindow()));
		List<Thread> senders = new ArrayList<>(SENDERS);
		for (int i = 0; i < SENDERS; i++) {
			int index = i;
			Thread sender = new Thread(() -> send(index), "tickwork-redis-" + (i + 1));
			sender.setDaemon(true);
			sender.start();
			senders.add(sender);
		}
		this.senders = List.copyOf(senders);
		this.deadlineKeeper = new Thread(this::keepDeadlines, "tickwork-redis-deadlines");
		this.deadlineKeeper.setDaemon(true);
		this.deadlineKeeper.start();
	}

	private static byte[][] bytes(String... values) {
		byte[][] bytes = new byte[values.length][];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
		}
		return bytes;
	}

	/**
	 * Whether every key lives on one node, so that one script may touch the keys of many
	 * jobs; anything but a known standalone connection is treated as a cluster.
	 */
	private static boolean isStandalone(RedisConnectionFactory factory) {
		return ClassUtils.isPresent("io.lettuce.core.RedisClient", RedisJobStore.class.getClassLoader())
				&& factory instanceof LettuceConnectionFactory lettuce && !lettuce.isClusterAware();
	}

	private static String load(String name) {
		try (InputStream in = RedisJobStore.class.getResourceAsStream(name)) {
			return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read Tickwork script " + name, ex);
		}
	}

	// Lock

	Claim claim(ClaimRequest request, boolean recordHistory) {
		String token = token();
		return claimed(request, token,
				run(request.job(), claimKind(request, recordHistory), claimArguments(request, token)));
	}

	/**
	 * Claims without waiting: the stage completes on a sender thread when Redis answers,
	 * or fails with the store's deadline.
	 */
	CompletionStage<Claim> claimAsync(ClaimRequest request, boolean recordHistory) {
		String token = token();
		return async(request.job(),
				submit(request.job(), claimKind(request, recordHistory), claimArguments(request, token)),
				(answer) -> claimed(request, token, answer));
	}

	/** The script's claim operation, whose name carries its flags. */
	private static byte[] claimKind(ClaimRequest request, boolean recordHistory) {
		return CLAIMS[(request.checksFire() ? 4 : 0) + (request.exclusive() ? 2 : 0) + (recordHistory ? 1 : 0)];
	}

	private static String[] claimArguments(ClaimRequest request, String token) {
		JobExecution running = new JobExecution(request.executionId(), request.job(), request.scheduledTime(),
				request.requestedAt(), null, ExecutionStatus.RUNNING, 0, null, request.instanceId(), 0,
				request.trigger());
		String json = ExecutionCodec.encode(running);
		int fencing = json.indexOf(FENCING_PLACEHOLDER) + FENCING_PLACEHOLDER.length() - 2;
		return new String[] { String.valueOf(request.scheduledTime().toEpochMilli()),
				String.valueOf(request.ttl().toMillis()), token, request.executionId(), json.substring(0, fencing),
				json.substring(fencing + 1) };
	}

	private static Claim claimed(ClaimRequest request, String token, String answer) {
		return switch (answer.charAt(0)) {
			case 'A' -> Claim.acquired(new Lease(request.job(), token, Long.parseLong(answer.substring(2)),
					request.scheduledTime(), request.exclusive(), request.executionId()));
			case 'C' -> Claim.rejected(Claim.Status.ALREADY_CLAIMED);
			case 'P' -> Claim.rejected(Claim.Status.PAUSED);
			case 'L' -> Claim.rejected(Claim.Status.LOCKED);
			default -> throw new IllegalStateException("Unexpected claim answer from Redis: " + answer);
		};
	}

	boolean extend(Lease lease, Duration ttl) {
		return "1".equals(lease.exclusive()
				? run(lease.job(), EXTEND_EXCLUSIVE, lease.token(), String.valueOf(ttl.toMillis()))
				: run(lease.job(), EXTEND, lease.token(), String.valueOf(ttl.toMillis()), lease.executionId()));
	}

	boolean release(Lease lease, JobExecution execution, boolean recordHistory) {
		return "1".equals(run(lease.job(), releaseKind(lease, recordHistory), releaseArguments(lease, execution)));
	}

	/**
	 * Releases a lease without waiting; the stage fails like {@link #release} would,
	 * with the same deadline, and a release given up on before it is sent is never sent.
	 */
	CompletionStage<Boolean> releaseAsync(Lease lease, JobExecution execution, boolean recordHistory) {
		return async(lease.job(),
				submit(lease.job(), releaseKind(lease, recordHistory), releaseArguments(lease, execution)), "1"::equals);
	}

	/**
	 * The answer of an operation sent without waiting, read when Redis answers; the
	 * deadline keeper fails it with a {@link TimeoutException} at the store's deadline.
	 */
	private <T> CompletionStage<T> async(String job, Operation operation, Function<String, T> reader) {
		return operation.result.handle((answer, ex) -> {
				if (ex != null) {
					throw failure((ex instanceof CompletionException) ? ex.getCause() : ex);
				}
				return reader.apply(answer(job, (String) answer));
			});
	}

	/** The script's release operation, whose name carries its flags. */
	private static byte[] releaseKind(Lease lease, boolean recordHistory) {
		return RELEASES[(lease.exclusive() ? 2 : 0) + (recordHistory ? 1 : 0)];
	}

	private static String[] releaseArguments(Lease lease, JobExecution execution) {
		String status = execution.status().name();
		String finished = micros(execution.finishedAt());
		String json = ExecutionCodec.encode(execution);
		return lease.exclusive() ? new String[] { lease.token(), status, duration(execution), finished, json }
				: new String[] { lease.token(), status, duration(execution), finished, json, lease.executionId() };
	}

	private static String token() {
		byte[] bytes = new byte[16];
		RANDOM.get().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	// State

	boolean isPaused(String job) {
		return Boolean.TRUE.equals(call(() -> this.redis.opsForHash().hasKey(state(job), "paused")));
	}

	void pause(String job) {
		call(() -> {
			this.redis.opsForHash().put(state(job), "paused", "1");
			return this.redis.opsForSet().add(pausedIndex(), job);
		});
	}

	void resume(String job) {
		call(() -> {
			this.redis.opsForHash().delete(state(job), "paused");
			return this.redis.opsForSet().remove(pausedIndex(), job);
		});
	}

	Set<String> pausedJobs() {
		Set<String> members = call(() -> this.redis.opsForSet().members(pausedIndex()));
		return (members != null) ? new TreeSet<>(members) : Set.of();
	}

	Optional<Instant> lastFire(String job) {
		String answer = run(job, READ_FIRE);
		return answer.isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(answer)));
	}

	boolean claimFire(String job, Instant fire) {
		return "1".equals(run(job, CLAIM_FIRE, String.valueOf(fire.toEpochMilli())));
	}

	// History

	/**
	 * Records an execution, or buffers it locally if Redis cannot be reached.
	 * @param execution the execution
	 */
	void record(JobExecution execution) {
		try {
			flush();
			write(execution);
		}
		catch (RuntimeException ex) {
			buffer(execution, ex);
		}
	}

	private void write(JobExecution execution) {
		run(execution.job(), WRITE, execution.status().name(), duration(execution), micros(execution.finishedAt()),
				ExecutionCodec.encode(execution));
	}

	private void buffer(JobExecution execution, RuntimeException cause) {
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
			this.buffer.addLast(execution);
		}
	}

	/**
	 * Writes buffered records while Redis answers; called before each write and
	 * periodically by the engine.
	 */
	public void flush() {
		while (true) {
			JobExecution execution;
			synchronized (this.buffer) {
				execution = this.buffer.peekFirst();
			}
			if (execution == null) {
				return;
			}
			write(execution);
			synchronized (this.buffer) {
				if (this.buffer.peekFirst() == execution) {
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
			List<Operation> reaps = new ArrayList<>(jobs.size());
			for (String job : jobs) {
				reaps.add(submit(job, REAP));
			}
			for (Operation reap : reaps) {
				await(reap.result);
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
		String lines = run(job, READ_HISTORY, String.valueOf(limit));
		if (lines.isEmpty()) {
			return List.of();
		}
		Instant oldest = this.clock.instant().minus(this.settings.historyTtl());
		Map<String, JobExecution> byId = new LinkedHashMap<>();
		for (String line : lines.split("\n")) {
			JobExecution execution = ExecutionCodec.decode(line);
			if (!execution.startedAt().isBefore(oldest) || !execution.status().isFinished()) {
				// a running entry and a record of the same execution: the record is newer
				byId.put(execution.id(), execution);
			}
		}
		return byId.values()
			.stream()
			.sorted(Comparator.comparing(JobExecution::startedAt).reversed())
			.limit(limit)
			.toList();
	}

	JobStats stats(String job) {
		String answer = run(job, READ_STATS);
		if (answer.isEmpty()) {
			return JobStats.EMPTY;
		}
		// the script's STATS, in its order, each followed by a comma; then the last error
		int line = answer.indexOf('\n');
		String[] s = answer.substring(0, line).split(",", -1);
		long runs = number(s[4]);
		String lastError = answer.substring(line + 1);
		return new JobStats(number(s[0]), number(s[1]), number(s[2]), number(s[3]), ExecutionCodec.instant(s[8]),
				ExecutionCodec.instant(s[9]),
				(lastError == null || lastError.isEmpty()) ? null : ExecutionCodec.unescape(lastError),
				(runs > 0) ? Duration.ofNanos(number(s[6]) * 1000) : null,
				(runs > 0) ? Duration.ofNanos(number(s[5]) / runs * 1000) : null,
				(runs > 0) ? Duration.ofNanos(number(s[7]) * 1000) : null);
	}

	private static long number(String value) {
		return value.isEmpty() ? 0 : Long.parseLong(value);
	}

	// Plumbing

	private static String micros(Instant instant) {
		return (instant != null) ? String.valueOf(ExecutionCodec.micros(instant)) : "";
	}

	/**
	 * How long a finished execution ran, in micros, never negative (the wall clock may
	 * step back while it runs); empty while it runs.
	 */
	private static String duration(JobExecution execution) {
		return (execution.finishedAt() != null) ? String.valueOf(Math.max(0,
				ExecutionCodec.micros(execution.finishedAt()) - ExecutionCodec.micros(execution.startedAt()))) : "";
	}

	private byte[][] keys(String job) {
		byte[][] cached = this.keys.get(job);
		if (cached == null) {
			cached = bytes(state(job), state(job) + ":history");
			if (this.keys.size() < 100_000) {
				this.keys.put(job, cached);
			}
		}
		return cached;
	}

	/** The key of a job's state hash: latest claimed fires, fencing counter, lock, pause, statistics. */
	String state(String job) {
		JobDefinition.checkName(job);
		return this.settings.keyPrefix() + "{" + job + "}";
	}

	private String pausedIndex() {
		return this.settings.keyPrefix() + "paused-jobs";
	}

	/** Runs one operation of the batch script and returns its answer. */
	private String run(String job, byte[] kind, String... arguments) {
		return answer(job, (String) await(submit(job, kind, arguments).result));
	}

	private static String answer(String job, String answer) {
		if (answer.startsWith("E ")) {
			throw new IllegalStateException("Redis refused a Tickwork operation on job '" + job + "': "
					+ answer.substring(2));
		}
		return answer;
	}

	/** What a caller sees of an operation that failed or outlived its deadline. */
	private RuntimeException failure(Throwable cause) {
		if (cause instanceof TimeoutException) {
			return new QueryTimeoutException(
					"Redis did not answer within " + this.settings.commandTimeout().toMillis() + "ms");
		}
		return (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
	}

	private Operation submit(String job, byte[] kind, String... arguments) {
		Operation operation = new Operation(keys(job), kind, arguments, null);
		enqueue(operation);
		return operation;
	}

	/** Runs a command on a sender thread, alone, with the store's deadline. */
	private <T> T call(Callable<T> command) {
		Operation operation = new Operation(null, null, null, command);
		enqueue(operation);
		@SuppressWarnings("unchecked")
		T result = (T) await(operation.result);
		return result;
	}

	private void enqueue(Operation operation) {
		if (this.closed) {
			throw new IllegalStateException("The Tickwork Redis store is closed");
		}
		operation.deadline = System.nanoTime() + this.settings.commandTimeout().toNanos();
		this.operations.add(operation);
	}

	/**
	 * Waits for an answer until the store's deadline, whatever the connection factory's
	 * own timeout is; an operation given up on before it is sent is never sent.
	 */
	private <T> T await(CompletableFuture<T> result) {
		try {
			return result.get(this.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			result.cancel(false);
			throw failure(ex);
		}
		catch (ExecutionException ex) {
			throw failure(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			result.cancel(false);
			throw new QueryTimeoutException("Interrupted while waiting for Redis");
		}
	}

	/**
	 * A sender thread: sends every waiting operation, a script call per slot, and shows
	 * the deadline keeper the operations in its hand.
	 */
	private void send(int index) {
		if (index == 0) {
			loadScript();
		}
		List<Operation> batch = new ArrayList<>(MAX_BATCH);
		while (!this.closed) {
			try {
				batch.add(this.operations.take());
			}
			catch (InterruptedException ex) {
				break;
			}
			this.operations.drainTo(batch, MAX_BATCH - 1);
			this.inHand.set(index, batch.toArray(new Operation[0]));
			try {
				sendAll(batch);
			}
			catch (Throwable ex) {
				// a sender must outlive anything a batch throws, or every later operation would time out
				logger.error("Tickwork could not send " + batch.size() + " Redis operation(s)", ex);
				batch.forEach((operation) -> operation.result.completeExceptionally(ex));
			}
			this.inHand.set(index, null);
			batch.clear();
		}
		Operation left;
		while ((left = this.operations.poll()) != null) {
			left.result.completeExceptionally(new IllegalStateException("The Tickwork Redis store is closed"));
		}
	}

	private void sendAll(List<Operation> batch) {
		List<Operation> scripted = new ArrayList<>(batch.size());
		for (Operation operation : batch) {
			if (operation.result.isDone()) {
				continue;
			}
			if (operation.command != null) {
				operation.runCommand();
			}
			else {
				scripted.add(operation);
			}
		}
		if (this.singleSlot) {
			sendScript(scripted);
		}
		else {
			for (List<Operation> slot : bySlot(scripted)) {
				sendScript(slot);
			}
		}
	}

	private static Iterable<List<Operation>> bySlot(List<Operation> operations) {
		Map<Integer, List<Operation>> slots = new LinkedHashMap<>();
		for (Operation operation : operations) {
			slots.computeIfAbsent(ClusterSlotHashUtil.calculateSlot(operation.keys[0]), (slot) -> new ArrayList<>())
				.add(operation);
		}
		return slots.values();
	}

	private void sendScript(List<Operation> batch) {
		if (batch.isEmpty()) {
			return;
		}
		int keyCount = batch.size() * KEYS_PER_OPERATION;
		int count = keyCount + this.scriptSettings.length;
		for (Operation operation : batch) {
			count += 1 + operation.arguments.length;
		}
		// the keys of every operation, then the settings, then each operation's kind and arguments
		byte[][] keysAndArguments = new byte[count][];
		int k = 0;
		int a = keyCount;
		for (byte[] setting : this.scriptSettings) {
			keysAndArguments[a++] = setting;
		}
		for (Operation operation : batch) {
			for (byte[] key : operation.keys) {
				keysAndArguments[k++] = key;
			}
			keysAndArguments[a++] = operation.kind;
			for (String argument : operation.arguments) {
				keysAndArguments[a++] = argument.getBytes(StandardCharsets.UTF_8);
			}
		}
		try {
			List<?> answers = this.redis.execute((RedisCallback<List<?>>) (connection) -> evaluate(connection,
					keyCount, keysAndArguments), true);
			if (answers == null || answers.size() != batch.size()) {
				throw new IllegalStateException("Redis answered " + ((answers != null) ? answers.size() : 0)
						+ " results to " + batch.size() + " Tickwork operations");
			}
			for (int i = 0; i < batch.size(); i++) {
				batch.get(i).result.complete(text(answers.get(i)));
			}
		}
		catch (RuntimeException ex) {
			for (Operation operation : batch) {
				operation.result.completeExceptionally(ex);
			}
		}
	}

	/**
	 * Calls the script by its SHA, and sends it whole if Redis does not have it (a Redis
	 * restarted or flushed of its scripts).
	 */
	private List<?> evaluate(RedisConnection connection, int keyCount, byte[][] keysAndArguments) {
		try {
			return connection.scriptingCommands().evalSha(this.scriptSha, ReturnType.MULTI, keyCount, keysAndArguments);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands()
				.eval(this.batchScript.getScriptAsString().getBytes(StandardCharsets.UTF_8), ReturnType.MULTI,
						keyCount, keysAndArguments);
		}
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static String text(Object answer) {
		return (answer instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(answer);
	}

	/**
	 * The deadline keeper's loop: fails each operation still unanswered at its deadline,
	 * whether it waits to be sent or a sender waits for Redis with it. Operations wait in
	 * the order they were submitted, so the first unanswered one of the queue and of each
	 * sender's hand has the earliest deadline; the keeper sleeps until the earliest.
	 */
	private void keepDeadlines() {
		long timeout = this.settings.commandTimeout().toNanos();
		while (!this.closed) {
			long now = System.nanoTime();
			// an operation submitted while the keeper sleeps has its deadline a timeout away at least
			long next = expire(this.operations, now, now + timeout);
			boolean waiting = !this.operations.isEmpty();
			for (int i = 0; i < SENDERS; i++) {
				Operation[] batch = this.inHand.get(i);
				if (batch != null) {
					waiting = true;
					next = expire(Arrays.asList(batch), now, next);
				}
			}
			if (waiting && next - now > KEEPER_NAP_NANOS) {
				next = now + KEEPER_NAP_NANOS;
			}
			LockSupport.parkNanos(next - now);
		}
	}

	/**
	 * Fails the unanswered operations past their deadline, in order, up to the first that
	 * is not; answers the earlier of its deadline and {@code next}.
	 */
	private static long expire(Iterable<Operation> operations, long now, long next) {
		for (Operation operation : operations) {
			if (!operation.result.isDone()) {
				if (operation.deadline - now > 0) {
					return (operation.deadline - next < 0) ? operation.deadline : next;
				}
				operation.result.completeExceptionally(new TimeoutException());
			}
		}
		return next;
	}

	/**
	 * Loads the script ahead of the first claim, so that connecting does not count
	 * against the first operation's deadline.
	 */
	private void loadScript() {
		try {
			this.redis.execute((RedisCallback<Object>) (connection) -> connection.scriptingCommands()
				.scriptLoad(this.batchScript.getScriptAsString().getBytes(StandardCharsets.UTF_8)));
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is not reachable yet; Tickwork will retry on each command: " + ex);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.senders.forEach(Thread::interrupt);
		LockSupport.unpark(this.deadlineKeeper);
	}

	/** One operation of the batch script, or a command run alone. */
	private static final class Operation {

		final byte[][] keys;

		final byte[] kind;

		final String[] arguments;

		final Callable<?> command;

		final CompletableFuture<Object> result = new CompletableFuture<>();

		/** When its caller stops waiting, on {@link System#nanoTime()}'s scale. */
		long deadline;

		Operation(byte[][] keys, byte[] kind, String[] arguments, Callable<?> command) {
			this.keys = keys;
			this.kind = kind;
			this.arguments = arguments;
			this.command = command;
		}

		void runCommand() {
			try {
				this.result.complete(this.command.call());
			}
			catch (Exception ex) {
				this.result.completeExceptionally(ex);
			}
		}

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
