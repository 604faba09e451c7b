package io.tickwork.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;
import io.tickwork.queue.QueueStore;

import static io.tickwork.redis.QueueRecords.isOne;
import static io.tickwork.redis.QueueRecords.job;
import static io.tickwork.redis.QueueRecords.millis;
import static io.tickwork.redis.QueueRecords.number;

/**
 * A {@link QueueStore} in Redis, shared by every instance: each type's keys carry the
 * type as their hash tag ({@code <prefix>queue:{<type>}:...}), so that each operation is
 * one script call on one cluster slot. Notices of new work travel on a pub/sub channel.
 * Commands of each type run on a lane of their own and fail after the
 * {@link RedisJobStore}'s command timeout, so that a node that does not answer holds up
 * only the types whose slots it serves. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class RedisQueueStore implements QueueStore, AutoCloseable {

	private static final String SOURCE = QueueRecords.load();

	static final String SHA = QueueRecords.sha1(SOURCE);

	private static final int FIELDS = 15;

	private final RedisJobStore jobs;

	private final StringRedisTemplate redis;

	private final String prefix;

	private final String channel;

	private final List<BiConsumer<String, Instant>> listeners = new CopyOnWriteArrayList<>();

	private final Set<String> registeredTypes = ConcurrentHashMap.newKeySet();

	private final Map<String, List<String>> keys = new ConcurrentHashMap<>();

	private final QueueCommands commands;

	private final EnqueueBatches enqueues;

	private RedisMessageListenerContainer container;

	private java.util.concurrent.ThreadPoolExecutor notices;

	/**
	 * Creates a store on the connection of the job store.
	 * @param jobs the job store, whose template, key prefix and command timeout it shares
	 */
	public RedisQueueStore(RedisJobStore jobs) {
		this.jobs = Objects.requireNonNull(jobs, "jobs");
		this.redis = jobs.template();
		this.prefix = jobs.keyPrefix();
		this.channel = this.prefix + "queue-work";
		this.commands = new QueueCommands(this.redis, jobs.commandTimeout());
		this.enqueues = new EnqueueBatches(this::enqueueAll, jobs.commandTimeout());
	}

	/**
	 * The key of a type's base: every key of the type starts with it.
	 * @param type the job type
	 * @return such as {@code tickwork:queue:{send-email}:}
	 */
	public String baseKey(String type) {
		return this.prefix + "queue:{" + type + "}:";
	}

	@Override
	public EnqueueResult enqueue(QueuedJob job, long capacity) {
		registerType(job.type());
		String answer = this.enqueues.enqueue(job, capacity);
		return new EnqueueResult(job.id(), "C".equals(answer), "F".equals(answer));
	}

	@Override
	public CompletableFuture<EnqueueResult> enqueueAsync(QueuedJob job, long capacity) {
		try {
			registerType(job.type());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.enqueues.enqueueAsync(job, capacity)
			.thenApply((answer) -> new EnqueueResult(job.id(), "C".equals(answer), "F".equals(answer)));
	}

	/** Sends jobs of one type in one call; jobs are checked against the capacity of the first. */
	private CompletableFuture<List<?>> enqueueAll(String type, List<EnqueueBatches.Pending> batch, Duration timeout) {
		long capacity = batch.get(0).capacity();
		String[] arguments = new String[2 + batch.size() * 9];
		arguments[0] = String.valueOf(capacity);
		arguments[1] = millis(batch.get(0).job().createdAt());
		int position = 2;
		for (EnqueueBatches.Pending pending : batch) {
			QueuedJob job = pending.job();
			arguments[position++] = job.id();
			arguments[position++] = job.status().name();
			arguments[position++] = (job.payload() != null) ? job.payload() : "";
			arguments[position++] = (job.payload() != null) ? "1" : "0";
			arguments[position++] = (job.payloadType() != null) ? job.payloadType() : "";
			arguments[position++] = String.valueOf(job.priority());
			arguments[position++] = String.valueOf(job.maxAttempts());
			arguments[position++] = (job.timeout() != null) ? String.valueOf(job.timeout().toMillis()) : "";
			arguments[position++] = millis(job.scheduledAt());
		}
		return this.commands.scriptAsync(type, timeout, SOURCE, SHA, QueueCommands.Output.MULTI, baseKey(type),
				argv("e", arguments)).thenApply((answer) -> (List<?>) answer);
	}

	@Override
	public Claim claim(String type, String instance, int max, Instant now, Duration lease, int defaultMaxAttempts,
			List<Map.Entry<String, Long>> succeeded, Duration retention) {
		String[] arguments = new String[6 + succeeded.size() * 2];
		arguments[0] = instance;
		arguments[1] = String.valueOf(max);
		arguments[2] = String.valueOf(lease.toMillis());
		arguments[3] = String.valueOf(defaultMaxAttempts);
		arguments[4] = millis(now);
		arguments[5] = String.valueOf(retention.toMillis());
		int position = 6;
		for (Map.Entry<String, Long> ack : succeeded) {
			arguments[position++] = ack.getKey();
			arguments[position++] = String.valueOf(ack.getValue());
		}
		List<?> answer = (List<?>) run(type, "c", arguments);
		int at = 0;
		int delivered = number(answer.get(at++));
		List<QueuedJob> jobs = new ArrayList<>(delivered);
		for (int i = 0; i < delivered; i++, at += FIELDS) {
			jobs.add(job(type, answer, at));
		}
		int abandonedCount = number(answer.get(at++));
		List<QueuedJob> abandoned = new ArrayList<>(abandonedCount);
		for (int i = 0; i < abandonedCount; i++, at += FIELDS) {
			abandoned.add(job(type, answer, at));
		}
		String next = (String) answer.get(at++);
		boolean paused = number(answer.get(at++)) == 1;
		Instant leaseUntil = now.plusMillis(number(answer.get(at++)));
		Set<String> lostAcks = new HashSet<>();
		for (; at < answer.size(); at++) {
			lostAcks.add((String) answer.get(at));
		}
		List<Delivery> deliveries = jobs.stream().map((job) -> new Delivery(job, leaseUntil)).toList();
		return new Claim(deliveries, abandoned, next.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(next)),
				paused, lostAcks);
	}

	@Override
	public Set<String> extend(String type, Map<String, Long> tokens, Instant until) {
		List<String> arguments = new ArrayList<>(2 + tokens.size() * 2);
		arguments.add(String.valueOf(Math.max(1, Duration.between(Instant.now(), until).toMillis())));
		tokens.forEach((id, token) -> {
			arguments.add(id);
			arguments.add(String.valueOf(token));
		});
		List<?> lost = (List<?>) run(type, "x", arguments.toArray(new String[0]));
		Set<String> ids = new HashSet<>();
		lost.forEach((id) -> ids.add((String) id));
		return ids;
	}

	@Override
	public boolean succeed(String type, String id, long token, Instant now, Duration retention) {
		return isOne(run(type, "s", id, String.valueOf(token), millis(now), String.valueOf(retention.toMillis())));
	}

	@Override
	public boolean retry(String type, String id, long token, Instant at, String error) {
		return isOne(run(type, "r", id, String.valueOf(token), millis(at), (error != null) ? error : ""));
	}

	@Override
	public boolean bury(String type, String id, long token, Instant now, String error, int maxDead) {
		return isOne(run(type, "b", id, String.valueOf(token), millis(now), (error != null) ? error : "",
				String.valueOf(maxDead)));
	}

	@Override
	public boolean release(String type, String id, long token) {
		return isOne(run(type, "l", id, String.valueOf(token)));
	}

	@Override
	public Optional<QueuedJob> get(String type, String id) {
		String key = baseKey(type) + "job:" + id;
		byte[] raw = QueueCommands.bytes(key);
		@SuppressWarnings("unchecked")
		Map<Object, Object> fields = (Map<Object, Object>) this.commands.call(type, (async) -> async.hgetall(raw),
				(connection) -> connection.hashCommands().hGetAll(raw));
		if (fields == null || fields.isEmpty() || !fields.containsKey("st")) {
			return Optional.empty();
		}
		return Optional.of(job(type, id, (name) -> (String) fields.get(name)));
	}

	@Override
	public boolean cancel(String type, String id, Instant now, Duration retention) {
		return isOne(run(type, "k", id, millis(now), String.valueOf(retention.toMillis())));
	}

	@Override
	public Counts counts(String type) {
		List<?> counts = (List<?>) run(type, "n");
		return new Counts(number(counts.get(0)), number(counts.get(1)), number(counts.get(2)), number(counts.get(3)),
				number(counts.get(4)) == 1);
	}

	@Override
	public List<QueuedJob> deadLetters(String type, int limit) {
		byte[] key = QueueCommands.bytes(baseKey(type) + "dead");
		List<?> ids = (List<?>) this.commands.call(type, (async) -> async.zrevrange(key, 0, limit - 1),
				(connection) -> connection.zSetCommands().zRevRange(key, 0, limit - 1));
		List<QueuedJob> dead = new ArrayList<>();
		if (ids != null) {
			for (Object id : ids) {
				get(type, (String) id).filter((job) -> job.status() == Status.DEAD).ifPresent(dead::add);
			}
		}
		return dead;
	}

	@Override
	public boolean requeue(String type, String id, Instant now) {
		return isOne(run(type, "q", id, millis(now)));
	}

	@Override
	public boolean deleteDead(String type, String id, Instant olderThan) {
		return isOne(run(type, "d", (id != null) ? id : "", millis(olderThan)));
	}

	@Override
	public void setPaused(String type, boolean paused) {
		registerType(type);
		run(type, "p", paused ? "1" : "0");
	}

	@Override
	public Set<String> types() {
		byte[] key = QueueCommands.bytes(typesKey());
		List<?> members = (List<?>) this.commands.call("", (async) -> async.smembers(key),
				(connection) -> connection.setCommands().sMembers(key));
		Set<String> types = new TreeSet<>();
		if (members != null) {
			members.forEach((member) -> types.add((String) member));
		}
		return types;
	}

	@Override
	public synchronized void onWork(BiConsumer<String, Instant> listener) {
		this.listeners.add(listener);
		if (this.container == null) {
			RedisConnectionFactory factory = Objects.requireNonNull(this.redis.getConnectionFactory());
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(factory);
			// notices are handled on one thread of the store's, not on a new thread each
			this.notices = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30, java.util.concurrent.TimeUnit.SECONDS,
					new java.util.concurrent.LinkedBlockingQueue<>(), (runnable) -> {
						Thread thread = new Thread(runnable, "tickwork-queue-notices");
						thread.setDaemon(true);
						return thread;
					});
			this.notices.allowCoreThreadTimeOut(true);
			container.setTaskExecutor(this.notices);
			container.addMessageListener((message, pattern) -> notice(new String(message.getBody(),
					StandardCharsets.UTF_8)), new ChannelTopic(this.channel));
			container.afterPropertiesSet();
			container.start();
			this.container = container;
		}
	}

	private void notice(String message) {
		int space = message.indexOf(' ');
		if (space < 0) {
			return;
		}
		String type = message.substring(0, space);
		long due = Long.parseLong(message.substring(space + 1));
		Instant at = (due == 0) ? null : Instant.ofEpochMilli(due);
		for (BiConsumer<String, Instant> listener : this.listeners) {
			listener.accept(type, at);
		}
	}

	@Override
	public synchronized void close() {
		this.commands.close();
		this.enqueues.close();
		if (this.container != null) {
			try {
				this.container.destroy();
			}
			catch (Exception ex) {
				// closing anyway
			}
			this.container = null;
			this.notices.shutdownNow();
		}
	}

	private void registerType(String type) {
		if (this.registeredTypes.add(type)) {
			try {
				byte[] key = QueueCommands.bytes(typesKey());
				byte[] member = QueueCommands.bytes(type);
				this.commands.call("", (async) -> async.sadd(key, member),
						(connection) -> connection.setCommands().sAdd(key, member));
			}
			catch (RuntimeException ex) {
				this.registeredTypes.remove(type);
				throw ex;
			}
		}
	}

	private String typesKey() {
		return this.prefix + "queue-types";
	}

	private Object run(String type, String operation, String... arguments) {
		QueueCommands.Output output = switch (operation) {
			case "e", "c", "x", "n" -> QueueCommands.Output.MULTI;
			default -> QueueCommands.Output.INTEGER;
		};
		return this.commands.script(type, SOURCE, SHA, output, baseKey(type), argv(operation, arguments));
	}

	/** The script's arguments: the operation, the notice channel, then the operation's own. */
	private String[] argv(String operation, String... arguments) {
		String[] argv = new String[arguments.length + 2];
		argv[0] = operation;
		argv[1] = this.channel;
		System.arraycopy(arguments, 0, argv, 2, arguments.length);
		return argv;
	}

}
