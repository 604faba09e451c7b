package io.tickwork.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;

/**
 * Sends a pipe's calls through the template, waiting for each: as many sender threads as
 * calls a group may have in flight, each taking whatever operations wait and sending one
 * call per group. For connection factories other than Lettuce's with a shared
 * connection, where a call cannot be sent without waiting for it. Thread-safe.
 */
final class BlockingSender implements ScriptPipe.Sender {

	private static final Log logger = LogFactory.getLog(BlockingSender.class);

	private final ScriptPipe pipe;

	private final List<Thread> threads = new ArrayList<>();

	/** The operations each sender has in hand, in the order they were submitted; null when idle. */
	private final AtomicReferenceArray<ScriptOperation[]> inHand = new AtomicReferenceArray<>(
			ScriptPipe.IN_FLIGHT_PER_GROUP);

	BlockingSender(ScriptPipe pipe) {
		this.pipe = pipe;
	}

	@Override
	public void start() {
		for (int i = 0; i < ScriptPipe.IN_FLIGHT_PER_GROUP; i++) {
			int index = i;
			Thread sender = new Thread(() -> send(index), "tickwork-redis-" + (i + 1));
			sender.setDaemon(true);
			sender.start();
			this.threads.add(sender);
		}
	}

	@Override
	public void forEachWaiting(Consumer<ScriptOperation[]> action) {
		for (int i = 0; i < this.inHand.length(); i++) {
			ScriptOperation[] batch = this.inHand.get(i);
			if (batch != null) {
				action.accept(batch);
			}
		}
	}

	@Override
	public void close() {
		this.threads.forEach(Thread::interrupt);
	}

	/**
	 * A sender thread: sends every waiting operation, a script call per group, and shows
	 * the deadline keeper the operations in its hand.
	 */
	private void send(int index) {
		if (index == 0) {
			loadScript();
		}
		List<ScriptOperation> batch = new ArrayList<>(ScriptPipe.MAX_BATCH);
		while (!this.pipe.closed) {
			try {
				batch.add(this.pipe.operations.take());
			}
			catch (InterruptedException ex) {
				break;
			}
			this.pipe.operations.drainTo(batch, ScriptPipe.MAX_BATCH - 1);
			this.inHand.set(index, batch.toArray(new ScriptOperation[0]));
			try {
				sendAll(batch);
			}
			catch (Throwable ex) {
				// a sender must outlive anything a batch throws, or every later operation would time out
				logger.error("Tickwork could not send " + batch.size() + " Redis operation(s)", ex);
				ScriptPipe.failed(batch, ex);
			}
			this.inHand.set(index, null);
			batch.clear();
		}
		ScriptOperation left;
		while ((left = this.pipe.operations.poll()) != null) {
			left.result.completeExceptionally(new IllegalStateException("The Tickwork Redis store is closed"));
		}
	}

	private void sendAll(List<ScriptOperation> batch) {
		Map<Integer, List<ScriptOperation>> groups = new LinkedHashMap<>();
		for (ScriptOperation operation : batch) {
			if (operation.result.isDone()) {
				continue;
			}
			if (operation.command != null) {
				operation.runCommand();
			}
			else {
				groups.computeIfAbsent(this.pipe.group(operation), (group) -> new ArrayList<>()).add(operation);
			}
		}
		groups.values().forEach(this::sendScript);
	}

	private void sendScript(List<ScriptOperation> batch) {
		int keyCount = ScriptPipe.keyCount(batch);
		byte[][] keysAndArguments = this.pipe.keysAndArguments(batch);
		try {
			List<?> answers = this.pipe.redis.execute((RedisCallback<List<?>>) (connection) -> evaluate(connection,
					keyCount, keysAndArguments), true);
			this.pipe.answered(batch, answers);
		}
		catch (RuntimeException ex) {
			ScriptPipe.failed(batch, ex);
		}
	}

	/**
	 * Calls the script by its SHA, and sends it whole if Redis does not have it (a Redis
	 * restarted or flushed of its scripts).
	 */
	private List<?> evaluate(RedisConnection connection, int keyCount, byte[][] keysAndArguments) {
		try {
			return connection.scriptingCommands()
				.evalSha(this.pipe.scriptSha.getBytes(StandardCharsets.US_ASCII), ReturnType.MULTI, keyCount,
						keysAndArguments);
		}
		catch (RuntimeException ex) {
			if (!ScriptPipe.isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands()
				.eval(this.pipe.script.getBytes(StandardCharsets.UTF_8), ReturnType.MULTI, keyCount, keysAndArguments);
		}
	}

	/**
	 * Loads the script ahead of the first claim, so that connecting does not count
	 * against the first operation's deadline.
	 */
	private void loadScript() {
		try {
			this.pipe.redis.execute((RedisCallback<Object>) (connection) -> connection.scriptingCommands()
				.scriptLoad(this.pipe.script.getBytes(StandardCharsets.UTF_8)));
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is not reachable yet; Tickwork will retry on each command: " + ex);
		}
	}

}
