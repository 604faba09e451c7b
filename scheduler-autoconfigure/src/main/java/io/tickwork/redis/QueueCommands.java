package io.tickwork.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Sends the queue store's commands so that each waits at most the command timeout and a
 * node that does not answer holds up only the commands of its own slots: on Lettuce's
 * shared connection without blocking a thread (a command past its deadline is cancelled,
 * so that Lettuce does not send it later); on any other client, each type's commands on a
 * lane of their own, a lane that timed out being replaced. Answers are text, integers,
 * or lists of them. Thread-safe.
 */
final class QueueCommands implements AutoCloseable {

	private final StringRedisTemplate redis;

	private final Duration timeout;

	private final boolean async;

	private final Map<String, ThreadPoolExecutor> lanes = new ConcurrentHashMap<>();

	private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;

	QueueCommands(StringRedisTemplate redis, Duration timeout) {
		this.redis = redis;
		this.timeout = timeout;
		RedisConnectionFactory factory = redis.getConnectionFactory();
		this.async = ScriptPipe.isLettuce(factory) && ((LettuceConnectionFactory) factory).getShareNativeConnection();
	}

	/**
	 * Runs a script by its digest, loading it if Redis does not know it.
	 * @param lane the lane (the job type) for clients other than Lettuce
	 * @param source the script
	 * @param sha its digest
	 * @param output the type of its answer
	 * @param key its one key
	 * @param arguments its arguments
	 * @return the answer
	 */
	Object script(String lane, String source, String sha, Output output, String key, String... arguments) {
		byte[][] keys = { bytes(key) };
		byte[][] argv = bytes(arguments);
		ScriptOutputType type = ScriptOutputType.valueOf(output.name());
		ReturnType returnType = ReturnType.valueOf(output.name());
		try {
			return call(lane, (commands) -> commands.evalsha(sha, type, keys, argv),
					(connection) -> connection.scriptingCommands().evalSha(sha, returnType, 1, concat(keys, argv)));
		}
		catch (RuntimeException ex) {
			if (!ScriptPipe.isNoScript(ex)) {
				throw ex;
			}
			call(lane, (commands) -> commands.scriptLoad(bytes(source)),
					(connection) -> connection.scriptingCommands().scriptLoad(bytes(source)));
			return call(lane, (commands) -> commands.evalsha(sha, type, keys, argv),
					(connection) -> connection.scriptingCommands().evalSha(sha, returnType, 1, concat(keys, argv)));
		}
	}

	/**
	 * Runs a script by its digest without blocking the caller where the client allows it
	 * (Lettuce's shared connection): the answer completes on Lettuce's thread, and a call
	 * still unanswered after {@code timeout} fails with a {@link TimeoutException} and is
	 * cancelled, so that Lettuce does not send it later. Elsewhere it runs as
	 * {@link #script} does and completes before it returns.
	 * @param lane the lane (the job type) for clients other than Lettuce
	 * @param timeout how long the call may take, at most the command timeout
	 * @param source the script
	 * @param sha its digest
	 * @param output the type of its answer
	 * @param key its one key
	 * @param arguments its arguments
	 * @return the answer to come
	 */
	CompletableFuture<Object> scriptAsync(String lane, Duration timeout, String source, String sha, Output output, String key,
			String... arguments) {
		if (!this.async) {
			try {
				return CompletableFuture.completedFuture(script(lane, source, sha, output, key, arguments));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		byte[][] keys = { bytes(key) };
		byte[][] argv = bytes(arguments);
		ScriptOutputType type = ScriptOutputType.valueOf(output.name());
		CompletableFuture<Object> result = new CompletableFuture<>();
		AtomicReference<RedisFuture<Object>> sent = new AtomicReference<>();
		result.orTimeout(Math.min(timeout.toNanos(), this.timeout.toNanos()), TimeUnit.NANOSECONDS).whenComplete((answer, ex) -> {
			RedisFuture<Object> call = sent.get();
			if (ex != null && call != null) {
				call.cancel(true);
			}
		});
		try {
			RedisClusterAsyncCommands<byte[], byte[]> commands = commands();
			RedisFuture<Object> first = commands.evalsha(sha, type, keys, argv);
			sent.set(first);
			first.whenComplete((answer, ex) -> {
				if (ex != null && ScriptPipe.isNoScript(ex) && !result.isDone()) {
					RedisFuture<Object> again = commands.eval(bytes(source), type, keys, argv);
					sent.set(again);
					again.whenComplete((retried, failure) -> answered(result, retried, failure));
				}
				else {
					answered(result, answer, ex);
				}
			});
		}
		catch (RuntimeException ex) {
			this.commands = null;
			result.completeExceptionally(ex);
		}
		return result;
	}

	private void answered(CompletableFuture<Object> result, Object answer, Throwable failure) {
		if (failure == null) {
			result.complete(text(answer));
			return;
		}
		Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
				? failure.getCause() : failure;
		if (cause instanceof io.lettuce.core.RedisConnectionException) {
			this.commands = null;
		}
		result.completeExceptionally((cause instanceof RuntimeException) ? cause
				: new RedisSystemException("Redis command failed: " + cause, cause));
	}

	/**
	 * Runs a command.
	 * @param lane the lane (the job type) for clients other than Lettuce
	 * @param async the command on Lettuce's asynchronous API
	 * @param blocking the command on a Spring Data connection
	 * @return the answer, as text, integers or lists of them
	 */
	Object call(String lane, Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<?>> async,
			RedisCallback<?> blocking) {
		if (this.async) {
			RedisFuture<?> future = async.apply(commands());
			return text(await(future, () -> future.cancel(true)));
		}
		Future<?> future = lane(lane).submit((Callable<Object>) () -> this.redis.execute(blocking));
		try {
			return text(await(future, () -> {
				future.cancel(false);
				ThreadPoolExecutor stuck = this.lanes.remove(lane);
				if (stuck != null) {
					stuck.shutdown();
				}
			}));
		}
		finally {
			future.cancel(false);
		}
	}

	private Object await(Future<?> future, Runnable onTimeout) {
		try {
			return future.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			onTimeout.run();
			throw new QueryTimeoutException("Redis did not answer within " + this.timeout.toMillis() + "ms", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (this.async && cause instanceof io.lettuce.core.RedisConnectionException) {
				this.commands = null;
			}
			throw (cause instanceof RuntimeException runtime) ? runtime
					: new RedisSystemException("Redis command failed: " + cause, cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			onTimeout.run();
			throw new QueryTimeoutException("Interrupted while waiting for Redis", ex);
		}
	}

	@SuppressWarnings("unchecked")
	private RedisClusterAsyncCommands<byte[], byte[]> commands() {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.commands;
		if (commands == null) {
			// a shared native connection outlives the connection object that hands it out
			try (RedisConnection connection = this.redis.getRequiredConnectionFactory().getConnection()) {
				commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
			}
			this.commands = commands;
		}
		return commands;
	}

	private ThreadPoolExecutor lane(String lane) {
		return this.lanes.computeIfAbsent(lane, (key) -> {
			ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
					(runnable) -> {
						Thread thread = new Thread(runnable, "tickwork-queue-redis-" + key);
						thread.setDaemon(true);
						return thread;
					});
			executor.allowCoreThreadTimeOut(true);
			return executor;
		});
	}

	/** Answers as text: bulk strings become strings, recursively; integers stay. */
	private static Object text(Object answer) {
		if (answer instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (answer instanceof List<?> list) {
			List<Object> texts = new ArrayList<>(list.size());
			for (Object item : list) {
				texts.add(text(item));
			}
			return texts;
		}
		if (answer instanceof Map<?, ?> map) {
			Map<Object, Object> texts = new java.util.LinkedHashMap<>();
			map.forEach((key, value) -> texts.put(text(key), text(value)));
			return texts;
		}
		if (answer instanceof java.util.Collection<?> set) {
			return text(new ArrayList<>(set));
		}
		return answer;
	}

	/** The type of a script's answer. */
	enum Output {

		/** A bulk string. */
		VALUE,

		/** A list. */
		MULTI,

		/** An integer. */
		INTEGER

	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[][] bytes(String[] texts) {
		byte[][] bytes = new byte[texts.length][];
		for (int i = 0; i < texts.length; i++) {
			bytes[i] = bytes(texts[i]);
		}
		return bytes;
	}

	private static byte[][] concat(byte[][] keys, byte[][] argv) {
		byte[][] all = new byte[keys.length + argv.length][];
		System.arraycopy(keys, 0, all, 0, keys.length);
		System.arraycopy(argv, 0, all, keys.length, argv.length);
		return all;
	}

	@Override
	public void close() {
		this.lanes.values().forEach(ThreadPoolExecutor::shutdownNow);
	}

}
