package io.tickwork.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

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

/**
 * Sends {@link ScriptOperation}s to Redis: sender threads send whatever operations wait
 * as one call of {@code batch.lua} (group commit), so that operations due together
 * share one round trip; three senders keep calls in preparation while Redis runs
 * another. On a Redis Cluster a call only carries the operations of one hash slot. A
 * deadline keeper fails each operation still unanswered at its caller's deadline; an
 * operation whose caller gave up before it was sent is not sent. Thread-safe.
 */
final class ScriptPipe implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ScriptPipe.class);

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

	/**
	 * Longest the deadline keeper sleeps while operations wait: a bound on how late it
	 * notices one that a sender had taken but not yet shown to it.
	 */
	private static final long KEEPER_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final StringRedisTemplate redis;

	private final Duration commandTimeout;

	private final boolean singleSlot;

	private final RedisScript<List> batchScript;

	private final byte[] scriptSha;

	/** The script's leading arguments: history max per job, history ttl, fire window. */
	private final byte[][] scriptSettings;

	private final BlockingQueue<ScriptOperation> operations = new LinkedBlockingQueue<>();

	private final List<Thread> senders;

	/** The operations each sender has in hand, in the order they were submitted; null when idle. */
	private final AtomicReferenceArray<ScriptOperation[]> inHand = new AtomicReferenceArray<>(SENDERS);

	private final Thread deadlineKeeper;

	private volatile boolean closed;

	/**
	 * Creates the pipe and starts its threads.
	 * @param redis the template
	 * @param commandTimeout deadline of each operation
	 * @param scriptSettings the script's leading arguments
	 */
	ScriptPipe(StringRedisTemplate redis, Duration commandTimeout, byte[][] scriptSettings) {
		this.redis = redis;
		this.commandTimeout = commandTimeout;
		this.scriptSettings = scriptSettings;
		this.singleSlot = isStandalone(redis.getConnectionFactory());
		this.batchScript = RedisScript.of(load("batch.lua"), List.class);
		this.scriptSha = this.batchScript.getSha1().getBytes(StandardCharsets.US_ASCII);
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

	/**
	 * Whether every key lives on one node, so that one script may touch the keys of many
	 * jobs; anything but a known standalone connection is treated as a cluster.
	 */
	private static boolean isStandalone(RedisConnectionFactory factory) {
		return ClassUtils.isPresent("io.lettuce.core.RedisClient", ScriptPipe.class.getClassLoader())
				&& factory instanceof LettuceConnectionFactory lettuce && !lettuce.isClusterAware();
	}

	private static String load(String name) {
		try (InputStream in = ScriptPipe.class.getResourceAsStream(name)) {
			return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read Tickwork script " + name, ex);
		}
	}

	/** Queues an operation with the pipe's deadline; a closed pipe refuses it. */
	ScriptOperation submit(ScriptOperation operation) {
		if (this.closed) {
			throw new IllegalStateException("The Tickwork Redis store is closed");
		}
		operation.deadline = System.nanoTime() + this.commandTimeout.toNanos();
		this.operations.add(operation);
		return operation;
	}

	/**
	 * Waits for an answer until the pipe's deadline, whatever the connection factory's
	 * own timeout is; an operation given up on before it is sent is not sent.
	 */
	<T> T await(CompletableFuture<T> result) {
		try {
			return result.get(this.commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
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

	/** What a caller sees of an operation that failed or outlived its deadline. */
	RuntimeException failure(Throwable cause) {
		if (cause instanceof TimeoutException) {
			return new QueryTimeoutException("Redis did not answer within " + this.commandTimeout.toMillis() + "ms");
		}
		return (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
	}

	/**
	 * A sender thread: sends every waiting operation, a script call per slot, and shows
	 * the deadline keeper the operations in its hand.
	 */
	private void send(int index) {
		if (index == 0) {
			loadScript();
		}
		List<ScriptOperation> batch = new ArrayList<>(MAX_BATCH);
		while (!this.closed) {
			try {
				batch.add(this.operations.take());
			}
			catch (InterruptedException ex) {
				break;
			}
			this.operations.drainTo(batch, MAX_BATCH - 1);
			this.inHand.set(index, batch.toArray(new ScriptOperation[0]));
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
		ScriptOperation left;
		while ((left = this.operations.poll()) != null) {
			left.result.completeExceptionally(new IllegalStateException("The Tickwork Redis store is closed"));
		}
	}

	private void sendAll(List<ScriptOperation> batch) {
		List<ScriptOperation> scripted = new ArrayList<>(batch.size());
		for (ScriptOperation operation : batch) {
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
			for (List<ScriptOperation> slot : bySlot(scripted)) {
				sendScript(slot);
			}
		}
	}

	private static Iterable<List<ScriptOperation>> bySlot(List<ScriptOperation> operations) {
		Map<Integer, List<ScriptOperation>> slots = new LinkedHashMap<>();
		for (ScriptOperation operation : operations) {
			slots.computeIfAbsent(ClusterSlotHashUtil.calculateSlot(operation.keys[0]), (slot) -> new ArrayList<>())
				.add(operation);
		}
		return slots.values();
	}

	private void sendScript(List<ScriptOperation> batch) {
		if (batch.isEmpty()) {
			return;
		}
		int keyCount = batch.size() * KEYS_PER_OPERATION;
		int count = keyCount + this.scriptSettings.length;
		for (ScriptOperation operation : batch) {
			count += 1 + operation.arguments.length;
		}
		// the keys of every operation, then the settings, then each operation's kind and arguments
		byte[][] keysAndArguments = new byte[count][];
		int k = 0;
		int a = keyCount;
		for (byte[] setting : this.scriptSettings) {
			keysAndArguments[a++] = setting;
		}
		for (ScriptOperation operation : batch) {
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
			for (ScriptOperation operation : batch) {
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
		long timeout = this.commandTimeout.toNanos();
		while (!this.closed) {
			long now = System.nanoTime();
			// an operation submitted while the keeper sleeps has its deadline a timeout away at least
			long next = expire(this.operations, now, now + timeout);
			boolean waiting = !this.operations.isEmpty();
			for (int i = 0; i < SENDERS; i++) {
				ScriptOperation[] batch = this.inHand.get(i);
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
	private static long expire(Iterable<ScriptOperation> operations, long now, long next) {
		for (ScriptOperation operation : operations) {
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

}
