package io.tickwork.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Sends a pipe's calls on Lettuce's shared connection without waiting for them: one
 * thread routes waiting operations to their group (hash slot) and sends a call for each
 * group that has fewer than {@value ScriptPipe#IN_FLIGHT_PER_GROUP} in flight. Deferrable
 * operations (records no one waits for) wait up to {@link ScriptPipe#LINGER_NANOS} for
 * company, unless an operation someone waits for takes them along sooner; answers are
 * handed to callers on a thread of their own, never on Lettuce's event loop. A node that
 * does not answer holds up only the calls of its own slots, and a call all of whose
 * operations passed their deadline is cancelled, so that Lettuce does not send it if it
 * still holds it (as it does while it reconnects). Thread-safe.
 */
final class LettuceSender implements ScriptPipe.Sender {

	private static final Log logger = LogFactory.getLog(LettuceSender.class);

	private final ScriptPipe pipe;

	private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final LettuceConnectionFactory factory;

	private final byte[] script;

	private final Thread thread;

	/**
	 * Hands answers to callers off Lettuce's event loop, on as many threads as calls a
	 * group may have in flight: the callers' follow-ups (the next step of each fire) run
	 * there.
	 */
	private final ExecutorService answers = Executors.newFixedThreadPool(ScriptPipe.IN_FLIGHT_PER_GROUP,
			new java.util.concurrent.ThreadFactory() {

				private final AtomicInteger count = new AtomicInteger();

				@Override
				public Thread newThread(Runnable runnable) {
					Thread thread = new Thread(runnable, "tickwork-redis-answers-" + this.count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}

			});

	/** Runs plain commands, which wait for their answer, one at a time. */
	private final ExecutorService commands = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "tickwork-redis-commands");
		thread.setDaemon(true);
		return thread;
	});

	/** Sends the deferrable operations that waited long enough for company. */
	private final ScheduledExecutorService linger = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "tickwork-redis-linger");
		thread.setDaemon(true);
		return thread;
	});

	/** Operations queued for the sender thread and not yet in a group (or failed). */
	private final AtomicInteger unrouted = new AtomicInteger();

	/** Set when the pipe closes: whatever waits leaves at once. */
	private volatile boolean closing;

	/** The groups by key; the sender adds to it, the deadline keeper reads it. */
	private final Map<Integer, PipeGroup> groups = new ConcurrentHashMap<>();

	/** PipeGroups with operations waiting; only the sender thread touches it. */
	private final Set<PipeGroup> backlog = new LinkedHashSet<>();

	private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();

	/**
	 * The shared connection's commands once known, so that callers send their operations
	 * themselves, without waking the sender; {@code null} until then, or after the
	 * connection broke, when the sender gets it again.
	 */
	private volatile RedisScriptingAsyncCommands<byte[], byte[]> shared;

	LettuceSender(ScriptPipe pipe, LettuceConnectionFactory factory) {
		this.pipe = pipe;
		this.factory = factory;
		this.script = ScriptPipe.SCRIPT.getBytes(StandardCharsets.UTF_8);
		this.thread = new Thread(this::run, "tickwork-redis");
		this.thread.setDaemon(true);
	}

	@Override
	public void start() {
		this.thread.start();
	}

	@Override
	public boolean offer(ScriptOperation operation) {
		if (this.shared == null || operation.command != null || this.unrouted.get() > 0) {
			this.unrouted.incrementAndGet(); // queued for the sender thread, behind what it holds
			return false;
		}
		PipeGroup group = this.groups.computeIfAbsent(this.pipe.group(operation), (key) -> new PipeGroup());
		group.add(operation);
		sendWaiting(group);
		return true;
	}

	@Override
	public void forEachWaiting(Consumer<ScriptOperation[]> action) {
		for (Call call : this.inFlight) {
			action.accept(call.operations);
		}
		for (PipeGroup group : this.groups.values().toArray(new PipeGroup[0])) {
			if (!group.waiting.isEmpty()) {
				action.accept(group.waiting.toArray(new ScriptOperation[0]));
			}
		}
	}

	@Override
	public void expired() {
		for (Call call : this.inFlight) {
			RedisFuture<?> future = call.future;
			if (future != null && !future.isDone() && call.isAbandoned()) {
				future.cancel(true);
			}
		}
	}

	/**
	 * Sends what waits, deferrable operations too, and gives the calls in flight up to a
	 * second to be answered, so that the last records reach Redis; then stops.
	 */
	@Override
	public void close() {
		this.closing = true;
		long until = System.nanoTime() + CLOSE_WAIT_NANOS;
		// what the sender thread has not routed yet leaves too, once the connection is known
		while (this.unrouted.get() > 0 && System.nanoTime() - until < 0) {
			java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		if (this.shared != null) {
			List<ScriptOperation> commands = new ArrayList<>();
			for (ScriptOperation operation; (operation = this.pipe.operations.poll()) != null;) {
				if (operation.command != null) {
					commands.add(operation);
				}
				else if (!operation.result.isDone()) {
					this.groups.computeIfAbsent(this.pipe.group(operation), (key) -> new PipeGroup()).add(operation);
				}
			}
			this.pipe.operations.addAll(commands);
		}
		this.groups.values().forEach(this::sendWaiting);
		while (!this.inFlight.isEmpty() && System.nanoTime() - until < 0) {
			java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		this.thread.interrupt();
		this.linger.shutdownNow();
		this.answers.shutdown();
		this.commands.shutdown();
	}

	private void run() {
		loadScript();
		List<ScriptOperation> drained = new ArrayList<>(ScriptPipe.MAX_BATCH);
		// once the pipe is closed, what was queued before still goes out (close waits for it)
		while (!this.pipe.closed || !this.pipe.operations.isEmpty()) {
			try {
				drained.add(this.pipe.operations.take());
			}
			catch (InterruptedException ex) {
				break;
			}
			this.pipe.operations.drainTo(drained);
			try {
				for (ScriptOperation operation : drained) {
					route(operation);
				}
				sendReady();
			}
			catch (Throwable ex) {
				// the sender must outlive anything a call throws, or every later operation would time out
				logger.error("Tickwork could not send Redis operations", ex);
			}
			this.unrouted.addAndGet(-drained.size());
			drained.clear();
		}
		ScriptOperation left;
		while ((left = this.pipe.operations.poll()) != null) {
			left.result.completeExceptionally(new IllegalStateException("The Tickwork Redis store is closed"));
		}
	}

	private void route(ScriptOperation operation) {
		if (operation.result.isDone()) {
			return;
		}
		if (operation.command != null) {
			// a plain command (pause, resume) waits for its answer: never on this thread
			try {
				this.commands.execute(operation::runCommand);
			}
			catch (RejectedExecutionException ex) {
				operation.result.completeExceptionally(new IllegalStateException("The Tickwork Redis store is closed"));
			}
			return;
		}
		PipeGroup group = this.groups.computeIfAbsent(this.pipe.group(operation), (key) -> new PipeGroup());
		group.add(operation);
		this.backlog.add(group);
	}

	/**
	 * Sends the groups that got operations; what they cannot send yet goes when one of
	 * their calls ends or their linger is over.
	 */
	private void sendReady() {
		for (Iterator<PipeGroup> groups = this.backlog.iterator(); groups.hasNext();) {
			sendWaiting(groups.next());
			groups.remove();
		}
	}

	/**
	 * Sends the group's waiting operations, a call per {@value ScriptPipe#MAX_BATCH}, while
	 * it has fewer than {@value ScriptPipe#IN_FLIGHT_PER_GROUP} calls in flight. Called by
	 * the sender, callers, the linger timer and the thread that ends one of its calls.
	 */
	private void sendWaiting(PipeGroup group) {
		while (group.isReady(this.closing)) {
			int calls = group.calls.get();
			if (calls >= ScriptPipe.IN_FLIGHT_PER_GROUP) {
				// the end of a call sends what waits
				return;
			}
			if (!group.calls.compareAndSet(calls, calls + 1)) {
				continue;
			}
			// calls leave in the order their operations were taken, so that records sent
			// without waiting (many from one caller) reach Redis in the order they were written
			synchronized (group) {
				List<ScriptOperation> batch = group.take();
				if (batch.isEmpty()) {
					group.calls.decrementAndGet();
					continue;
				}
				send(group, batch);
			}
		}
		if (group.deferred.get() > 0) {
			group.sendWhenDue(this.linger, this::sendWaiting);
		}
	}

	/** Sends one call; the group's count of calls in flight already counts it. */
	private void send(PipeGroup group, List<ScriptOperation> batch) {
		Call call = new Call(group, batch);
		this.inFlight.add(call);
		byte[][] keysAndArguments = this.pipe.keysAndArguments(batch);
		int keyCount = ScriptPipe.keyCount(batch);
		byte[][] keys = Arrays.copyOf(keysAndArguments, keyCount);
		byte[][] arguments = Arrays.copyOfRange(keysAndArguments, keyCount, keysAndArguments.length);
		RedisScriptingAsyncCommands<byte[], byte[]> commands = this.shared;
		try {
			if (commands == null) {
				commands = commands();
				this.shared = commands;
			}
			RedisFuture<List<Object>> future = commands.evalsha(ScriptPipe.SCRIPT_SHA, ScriptOutputType.MULTI, keys,
					arguments);
			call.future = future;
			RedisScriptingAsyncCommands<byte[], byte[]> sent = commands;
			future.whenComplete((answers, ex) -> {
				if (ex != null && ScriptPipe.isNoScript(ex) && !call.isAbandoned()) {
					// a Redis restarted or flushed of its scripts: send it whole
					RedisFuture<List<Object>> again = sent.eval(this.script, ScriptOutputType.MULTI, keys,
							arguments);
					call.future = again;
					again.whenComplete((retried, failure) -> ended(call, retried, failure));
				}
				else {
					ended(call, answers, ex);
				}
			});
		}
		catch (RuntimeException ex) {
			// a connection that broke for good is looked up again by the sender
			this.shared = null;
			ended(call, null, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private RedisScriptingAsyncCommands<byte[], byte[]> commands() {
		// a shared native connection outlives the connection object that hands it out
		try (RedisConnection connection = this.factory.getConnection()) {
			return (RedisScriptingAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
		}
	}

	/** A call ended: its answers go to their callers off the event loop, and its group may send the next. */
	private void ended(Call call, List<?> answers, Throwable failure) {
		execute(() -> {
			this.inFlight.remove(call);
			if (failure != null) {
				ScriptPipe.failed(call.batch, (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure);
			}
			else {
				this.pipe.answered(call.batch, answers);
			}
			call.group.calls.decrementAndGet();
			sendWaiting(call.group);
		});
	}

	private void execute(Runnable task) {
		try {
			this.answers.execute(task);
		}
		catch (RejectedExecutionException ex) {
			task.run();
		}
	}

	/**
	 * Loads the script ahead of the first claim, so that connecting does not count against
	 * its deadline; callers send their own operations only then, as a load between a call
	 * answered "no such script" and the next call would let the next overtake the first.
	 */
	private void loadScript() {
		try {
			RedisScriptingAsyncCommands<byte[], byte[]> commands = commands();
			this.pipe.redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) (
					connection) -> connection.scriptingCommands().scriptLoad(this.script));
			this.shared = commands;
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is not reachable yet; Tickwork will retry on each command: " + ex);
		}
	}

	/** One script call in flight. */
	private static final class Call {

		final PipeGroup group;

		final List<ScriptOperation> batch;

		final ScriptOperation[] operations;

		volatile RedisFuture<?> future;

		Call(PipeGroup group, List<ScriptOperation> batch) {
			this.group = group;
			this.batch = batch;
			this.operations = batch.toArray(new ScriptOperation[0]);
		}

		/** Whether no caller waits for any of its operations any more. */
		boolean isAbandoned() {
			for (ScriptOperation operation : this.operations) {
				if (!operation.result.isDone()) {
					return false;
				}
			}
			return true;
		}

	}

}
