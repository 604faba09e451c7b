package io.tickwork.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ClassUtils;

/**
 * Sends {@link ScriptOperation}s to Redis as calls of {@code batch.lua}: whatever
 * operations wait when a call leaves go in that call (group commit), so that operations
 * due together share one round trip. Operations are grouped by hash slot (one group on a
 * standalone Redis), and each group has at most {@value #IN_FLIGHT_PER_GROUP} calls in
 * flight, so that the groups of a node that does not answer hold up only their own
 * operations. A deadline keeper fails each operation still unanswered at its caller's
 * deadline; an operation whose caller gave up before it was sent is not sent. With
 * Lettuce and its shared connection, calls go out without blocking a thread
 * ({@link LettuceSender}); otherwise sender threads wait for each call
 * ({@link BlockingSender}). Thread-safe.
 */
final class ScriptPipe implements AutoCloseable {

	/** Most operations sent in one script call, which Redis runs without interleaving. */
	static final int MAX_BATCH = 128;

	/**
	 * Script calls of one group in flight at once: while Redis runs one, the next is
	 * prepared, and a third keeps Redis busy while the answers of the first are handed to
	 * their callers. With Lettuce's shared connection the operations of one group reach
	 * Redis in the order they were submitted, including the records that one caller sends
	 * without waiting; the blocking sender keeps the order of each caller that waits for
	 * its operation.
	 */
	static final int IN_FLIGHT_PER_GROUP = 3;

	private static final int KEYS_PER_OPERATION = 2;

	/**
	 * Longest a deferrable operation waits for others to share its call, unless an
	 * operation that someone waits for takes it along sooner.
	 */
	static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/** Deferrable operations that make a call worth sending without waiting longer. */
	static final int LINGER_BATCH = 64;

	/**
	 * Longest the deadline keeper sleeps while operations wait: a bound on how late it
	 * notices one that a sender had taken but not yet shown to it.
	 */
	private static final long KEEPER_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	final StringRedisTemplate redis;

	/** The batch script, and its SHA-1 digest, which calls name it by. */
	static final String SCRIPT = load("batch.lua");

	static final String SCRIPT_SHA = QueueRecords.sha1(SCRIPT);

	private final Duration commandTimeout;

	private final boolean singleSlot;

	/** The script's leading arguments: history max per job, history ttl, fire window. */
	private final byte[][] scriptSettings;

	final BlockingQueue<ScriptOperation> operations = new LinkedBlockingQueue<>();

	private final Sender sender;

	private final Thread deadlineKeeper;

	/** Told after each call that Redis answered. */
	private volatile Runnable onAnswer = () -> {
	};

	volatile boolean closed;

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
		RedisConnectionFactory factory = redis.getConnectionFactory();
		this.singleSlot = isStandalone(factory);
		this.sender = isLettuceShared(factory) ? new LettuceSender(this, (LettuceConnectionFactory) factory)
				: new BlockingSender(this);
		this.sender.start();
		this.deadlineKeeper = new Thread(this::keepDeadlines, "tickwork-redis-deadlines");
		this.deadlineKeeper.setDaemon(true);
		this.deadlineKeeper.start();
	}

	/** Whether the factory is Lettuce's, with Lettuce on the class path. */
	static boolean isLettuce(RedisConnectionFactory factory) {
		return ClassUtils.isPresent("io.lettuce.core.RedisClient", ScriptPipe.class.getClassLoader())
				&& factory instanceof LettuceConnectionFactory;
	}

	/**
	 * Whether every key lives on one node, so that one script may touch the keys of many
	 * jobs; anything but a known standalone connection is treated as a cluster.
	 */
	private static boolean isStandalone(RedisConnectionFactory factory) {
		return isLettuce(factory) && !((LettuceConnectionFactory) factory).isClusterAware();
	}

	private static boolean isLettuceShared(RedisConnectionFactory factory) {
		return isLettuce(factory) && ((LettuceConnectionFactory) factory).getShareNativeConnection();
	}

	private static String load(String name) {
		try (InputStream in = ScriptPipe.class.getResourceAsStream(name)) {
			return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read Tickwork script " + name, ex);
		}
	}

	/** Where the pipe's calls go: the Redis node, a Cluster's seed nodes or a Sentinel master. */
	String where() {
		RedisConnectionFactory factory = this.redis.getConnectionFactory();
		if (!isLettuce(factory)) {
			return "Redis";
		}
		LettuceConnectionFactory lettuce = (LettuceConnectionFactory) factory;
		if (lettuce.isClusterAware()) {
			return "Redis Cluster (seed nodes " + lettuce.getClusterConfiguration().getClusterNodes() + ")";
		}
		if (lettuce.getSentinelConfiguration() != null) {
			return "Redis Sentinel (master '" + lettuce.getSentinelConfiguration().getMaster().getName() + "')";
		}
		return "Redis at " + lettuce.getHostName() + ":" + lettuce.getPort();
	}

	/** Sets what is told after each call that Redis answered, such as work left for when it is back. */
	void onAnswer(Runnable onAnswer) {
		this.onAnswer = onAnswer;
	}

	/** Queues an operation with the pipe's deadline; a closed pipe refuses it. */
	ScriptOperation submit(ScriptOperation operation) {
		if (this.closed) {
			throw new IllegalStateException("The Tickwork Redis store is closed");
		}
		long now = System.nanoTime();
		operation.deadline = now + this.commandTimeout.toNanos();
		operation.sendBy = operation.deferrable ? now + LINGER_NANOS : now;
		if (!this.sender.offer(operation)) {
			this.operations.add(operation);
		}
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

	/** The group of an operation: its hash slot, or one group for every operation on a standalone Redis. */
	int group(ScriptOperation operation) {
		return this.singleSlot ? 0 : ClusterSlotHashUtil.calculateSlot(operation.keys[0]);
	}

	/** The keys of a batch's operations, then the settings, then each operation's kind and arguments. */
	byte[][] keysAndArguments(List<ScriptOperation> batch) {
		int keyCount = keyCount(batch);
		int count = keyCount + this.scriptSettings.length;
		for (ScriptOperation operation : batch) {
			count += 1 + operation.arguments.length;
		}
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
		return keysAndArguments;
	}

	static int keyCount(List<ScriptOperation> batch) {
		return batch.size() * KEYS_PER_OPERATION;
	}

	/** Hands a call's answers to the callers of its operations. */
	void answered(List<ScriptOperation> batch, List<?> answers) {
		if (answers == null || answers.size() != batch.size()) {
			failed(batch, new IllegalStateException("Redis answered " + ((answers != null) ? answers.size() : 0)
					+ " results to " + batch.size() + " Tickwork operations"));
			return;
		}
		for (int i = 0; i < batch.size(); i++) {
			Object answer = answers.get(i);
			batch.get(i).result
				.complete((answer instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
						: String.valueOf(answer));
		}
		this.onAnswer.run();
	}

	static void failed(List<ScriptOperation> batch, Throwable ex) {
		for (ScriptOperation operation : batch) {
			operation.result.completeExceptionally(ex);
		}
	}

	static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The deadline keeper's loop: fails each operation still unanswered at its deadline,
	 * whether it waits to be sent or a call in flight carries it. Operations wait in the
	 * order they were submitted, so the first unanswered one of the queue and of each
	 * call has the earliest deadline; the keeper sleeps until the earliest.
	 */
	private void keepDeadlines() {
		long timeout = this.commandTimeout.toNanos();
		while (!this.closed) {
			long now = System.nanoTime();
			// an operation submitted while the keeper sleeps has its deadline a timeout away at least
			long[] next = { expire(this.operations, now, now + timeout) };
			boolean[] waiting = { !this.operations.isEmpty() };
			this.sender.forEachWaiting((batch) -> {
				waiting[0] = true;
				next[0] = expire(Arrays.asList(batch), now, next[0]);
			});
			this.sender.expired();
			long sleep = next[0] - now;
			if (waiting[0] && sleep > KEEPER_NAP_NANOS) {
				sleep = KEEPER_NAP_NANOS;
			}
			LockSupport.parkNanos(sleep);
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

	@Override
	public void close() {
		this.closed = true;
		this.sender.close();
		LockSupport.unpark(this.deadlineKeeper);
	}

	/** How a pipe's calls reach Redis. */
	interface Sender {

		void start();

		/**
		 * Sends an operation from the caller's thread if that can be done without waiting;
		 * otherwise it goes to the queue that the sender works.
		 * @return whether the sender took it
		 */
		default boolean offer(ScriptOperation operation) {
			return false;
		}

		/** Shows the deadline keeper the operations of every call that waits to be sent or answered. */
		void forEachWaiting(Consumer<ScriptOperation[]> action);

		/** Told after the keeper failed operations: calls none of whose operations waits any more may be dropped. */
		default void expired() {
		}

		void close();

	}

}
