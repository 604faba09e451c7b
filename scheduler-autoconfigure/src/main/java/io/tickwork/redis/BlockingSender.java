package io.tickwork.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;

/**
 * Sends a pipe's calls through the template, waiting for each: as many sender threads as
 * calls a group may have in flight. A thread takes whatever operations wait, queues each
 * group's in the order they were taken, and sends the calls of a group that no other
 * thread is sending, one after another, so that a group's calls reach Redis in the order
 * their operations were submitted (a release before the next claim of its job, records
 * in the order they were written); groups are sent side by side. For connection factories
 * other than Lettuce's with a shared connection, where a call cannot be sent without
 * waiting for it. Thread-safe.
 */
final class BlockingSender implements ScriptPipe.Sender {

	private static final Log logger = LogFactory.getLog(BlockingSender.class);

	private final ScriptPipe pipe;

	private final List<Thread> threads = new ArrayList<>();

	/** Held while operations are taken and queued to their groups, so that they are queued in one order. */
	private final Object taking = new Object();

	/** Each group's operations waiting to be sent, and whether a thread sends them. */
	private final Map<Integer, Group> groups = new ConcurrentHashMap<>();

	/** The operations each sender took, in the order they were submitted; null when idle. */
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
		for (Group group : this.groups.values()) {
			ScriptOperation[] waiting;
			synchronized (group) {
				waiting = group.waiting.toArray(new ScriptOperation[0]);
			}
			ScriptOperation[] sent = group.inFlight;
			if (sent != null) {
				action.accept(sent);
			}
			action.accept(waiting);
		}
	}

	@Override
	public void close() {
		this.threads.forEach(Thread::interrupt);
	}

	/**
	 * A sender thread: takes every waiting operation, runs the plain commands among them,
	 * and sends the script calls of the groups it queued to that no other thread sends.
	 */
	private void send(int index) {
		if (index == 0) {
			loadScript();
		}
		List<ScriptOperation> batch = new ArrayList<>(ScriptPipe.MAX_BATCH);
		List<Group> queued = new ArrayList<>();
		while (!this.pipe.closed) {
			try {
				synchronized (this.taking) {
					batch.add(this.pipe.operations.take());
					this.pipe.operations.drainTo(batch, ScriptPipe.MAX_BATCH - 1);
					this.inHand.set(index, batch.toArray(new ScriptOperation[0]));
					queue(batch, queued);
				}
			}
			catch (InterruptedException ex) {
				break;
			}
			try {
				for (ScriptOperation operation : batch) {
					if (operation.command != null && !operation.result.isDone()) {
						operation.runCommand();
					}
				}
				this.inHand.set(index, null);
				queued.forEach(this::sendQueued);
			}
			catch (Throwable ex) {
				// a sender must outlive anything a batch throws, or every later operation would time out
				logger.error("Tickwork could not send " + batch.size() + " Redis operation(s)", ex);
				ScriptPipe.failed(batch, ex);
			}
			this.inHand.set(index, null);
			batch.clear();
			queued.clear();
		}
		ScriptOperation left;
		while ((left = this.pipe.operations.poll()) != null) {
			left.result.completeExceptionally(new IllegalStateException("The Tickwork Redis store is closed"));
		}
		for (Group group : this.groups.values()) {
			synchronized (group) {
				ScriptPipe.failed(new ArrayList<>(group.waiting), new IllegalStateException("The Tickwork Redis store is closed"));
				group.waiting.clear();
			}
		}
	}

	/** Queues the batch's script operations to their groups, in order; notes each group queued to. */
	private void queue(List<ScriptOperation> batch, List<Group> queued) {
		for (ScriptOperation operation : batch) {
			if (operation.command == null) {
				Group group = this.groups.computeIfAbsent(this.pipe.group(operation), (key) -> new Group());
				synchronized (group) {
					group.waiting.add(operation);
				}
				if (!queued.contains(group)) {
					queued.add(group);
				}
			}
		}
	}

	/**
	 * Sends a group's waiting operations, a call at a time, unless another thread sends
	 * them: that one sends what was queued meanwhile too.
	 */
	private void sendQueued(Group group) {
		while (true) {
			List<ScriptOperation> call = new ArrayList<>();
			synchronized (group) {
				if (group.sending) {
					return;
				}
				ScriptOperation operation;
				while (call.size() < ScriptPipe.MAX_BATCH && (operation = group.waiting.poll()) != null) {
					if (!operation.result.isDone()) {
						call.add(operation);
					}
				}
				if (call.isEmpty()) {
					return;
				}
				group.sending = true;
				group.inFlight = call.toArray(new ScriptOperation[0]);
			}
			try {
				sendScript(call);
			}
			finally {
				synchronized (group) {
					group.sending = false;
					group.inFlight = null;
				}
			}
		}
	}

	/** A group's operations waiting to be sent; guarded by the group. */
	private static final class Group {

		private final ArrayDeque<ScriptOperation> waiting = new ArrayDeque<>();

		private boolean sending;

		/** The call being sent, for the deadline keeper. */
		private volatile ScriptOperation[] inFlight;

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
				.evalSha(ScriptPipe.SCRIPT_SHA.getBytes(StandardCharsets.US_ASCII), ReturnType.MULTI, keyCount,
						keysAndArguments);
		}
		catch (RuntimeException ex) {
			if (!ScriptPipe.isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands()
				.eval(ScriptPipe.SCRIPT.getBytes(StandardCharsets.UTF_8), ReturnType.MULTI, keyCount, keysAndArguments);
		}
	}

	/**
	 * Loads the script ahead of the first claim, so that connecting does not count
	 * against the first operation's deadline.
	 */
	private void loadScript() {
		try {
			this.pipe.redis.execute((RedisCallback<Object>) (connection) -> connection.scriptingCommands()
				.scriptLoad(ScriptPipe.SCRIPT.getBytes(StandardCharsets.UTF_8)));
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is not reachable yet; Tickwork will retry on each command: " + ex);
		}
	}

}
