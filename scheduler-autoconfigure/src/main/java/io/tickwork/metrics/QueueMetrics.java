package io.tickwork.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.QueueInfo;
import io.tickwork.queue.QueueEngine;
import io.tickwork.queue.QueueObserver;

/**
 * Micrometer meters of queued jobs: enqueues, waits from ready to start, attempts by
 * outcome, retries, dead letters, and the depth of each type's queue. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class QueueMetrics implements QueueObserver, JobListener {

	/** Counter of jobs enqueued (not the ones an idempotent id refused), tag {@code type}. */
	public static final String ENQUEUED = "tickwork.queue.enqueued";

	/** Timer of the wait from when a job could run to its attempt's start, tag {@code type}. */
	public static final String WAIT = "tickwork.queue.wait";

	/** Timer of finished attempts, tags {@code type} and {@code outcome}. */
	public static final String EXECUTIONS = "tickwork.queue.executions";

	/** Counter of jobs moved to the dead letter, tag {@code type}. */
	public static final String DEAD_LETTERED = "tickwork.queue.dead.lettered";

	/**
	 * Gauge of the jobs of a type by {@code state} ({@code ready}, {@code delayed},
	 * {@code running}, {@code dead}), tag {@code type}; read from the store at most every
	 * {@value #DEPTH_MAX_AGE_SECONDS} seconds, cluster-wide with Redis.
	 */
	public static final String DEPTH = "tickwork.queue.depth";

	static final long DEPTH_MAX_AGE_SECONDS = 5;

	private final MeterRegistry registry;

	private final Supplier<List<QueueInfo>> queues;

	private final Map<String, Boolean> gauged = new ConcurrentHashMap<>();

	private final Map<String, Counter> enqueued = new ConcurrentHashMap<>();

	private final Map<String, Timer> waits = new ConcurrentHashMap<>();

	private final Map<String, Timer> executions = new ConcurrentHashMap<>();

	private volatile Map<String, QueueInfo> depths = Map.of();

	private volatile long depthsReadAt;

	/**
	 * Creates a new instance.
	 * @param registry the registry
	 * @param queues reads what the queues hold, for the depth gauges
	 */
	public QueueMetrics(MeterRegistry registry, Supplier<List<QueueInfo>> queues) {
		this.registry = registry;
		this.queues = queues;
	}

	@Override
	public void enqueued(String type) {
		this.enqueued.computeIfAbsent(type, (key) -> {
			gauge(key);
			return Counter.builder(ENQUEUED).description("Jobs enqueued").tag("type", key).register(this.registry);
		}).increment();
	}

	@Override
	public void waited(String type, Duration wait) {
		this.waits.computeIfAbsent(type, (key) -> {
			gauge(key);
			return Timer.builder(WAIT)
				.description("Time from when a queued job could run to the start of its attempt")
				.tag("type", key)
				.publishPercentileHistogram()
				.register(this.registry);
		}).record(wait);
	}

	@Override
	public void deadLettered(String type) {
		Counter.builder(DEAD_LETTERED)
			.description("Queued jobs moved to the dead letter")
			.tag("type", type)
			.register(this.registry)
			.increment();
	}

	@Override
	public void onSucceeded(JobExecution execution) {
		ended(execution, "success");
	}

	@Override
	public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
		ended(execution, "retried");
	}

	@Override
	public void onFailed(JobExecution execution, Throwable error) {
		ended(execution, "failure");
	}

	@Override
	public void onTimedOut(JobExecution execution) {
		ended(execution, "timeout");
	}

	@Override
	public void onInterrupted(JobExecution execution) {
		ended(execution, (execution.status() == io.tickwork.ExecutionStatus.ABANDONED) ? "abandoned" : "interrupted");
	}

	private void ended(JobExecution execution, String outcome) {
		if (execution.trigger() != JobExecution.Trigger.QUEUE) {
			return;
		}
		Duration duration = (execution.finishedAt() != null) ? execution.duration() : Duration.ZERO;
		this.executions.computeIfAbsent(execution.job() + '\n' + outcome, (key) -> Timer.builder(EXECUTIONS)
			.description("Finished attempts of queued jobs")
			.tag("type", execution.job().substring(QueueEngine.HISTORY_PREFIX.length()))
			.tag("outcome", outcome)
			.register(this.registry)).record(duration.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void gauge(String type) {
		if (this.gauged.putIfAbsent(type, Boolean.TRUE) != null) {
			return;
		}
		for (String state : new String[] { "ready", "delayed", "running", "dead" }) {
			Gauge.builder(DEPTH, () -> depth(type, state))
				.description("Queued jobs of the type by state")
				.tag("type", type)
				.tag("state", state)
				.register(this.registry);
		}
	}

	private double depth(String type, String state) {
		long now = System.nanoTime();
		if (now - this.depthsReadAt > TimeUnit.SECONDS.toNanos(DEPTH_MAX_AGE_SECONDS) || this.depthsReadAt == 0) {
			try {
				Map<String, QueueInfo> read = new ConcurrentHashMap<>();
				this.queues.get().forEach((info) -> read.put(info.type(), info));
				this.depths = read;
			}
			catch (RuntimeException ex) {
				return Double.NaN;
			}
			this.depthsReadAt = now;
		}
		QueueInfo info = this.depths.get(type);
		if (info == null) {
			return 0;
		}
		return switch (state) {
			case "ready" -> info.ready();
			case "delayed" -> info.delayed();
			case "running" -> info.running();
			default -> info.dead();
		};
	}

}
