package io.tickwork.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.JobListener;
import io.tickwork.JobQueue;
import io.tickwork.JobRequest;
import io.tickwork.QueueInfo;
import io.tickwork.QueuedJob;
import io.tickwork.history.JobHistory;

/**
 * The {@link JobQueue} of one instance: enqueues into the {@link QueueStore} and runs the
 * jobs of the types it has handlers for, each type on its own slots. Built with
 * {@link #builder()}; {@link #start()} begins taking jobs, {@link #stop()} ends. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public final class QueueEngine implements JobQueue {

	private static final Logger logger = LoggerFactory.getLogger(QueueEngine.class);

	/** Prefix of the history name of a type: {@code queue:<type>}. */
	public static final String HISTORY_PREFIX = "queue:";

	final QueueStore store;

	final Clock clock;

	final String instanceId;

	final Duration lease;

	final Duration retryAfterFailure = Duration.ofSeconds(1);

	final ExecutorService workers;

	final ScheduledThreadPoolExecutor timer;

	final JobListener listener;

	final JobHistory history;

	final QueueObserver observer;

	final PayloadCodec codec;

	final Outcomes outcomes;

	private final Function<String, QueueSettings> settings;

	private final Map<String, TypeWorker> handled = new ConcurrentHashMap<>();

	private final Set<String> enqueuedTypes = ConcurrentHashMap.newKeySet();

	final boolean sharedStore;

	private final Enqueuer enqueuer;

	private final Duration pollInterval;

	private final Duration outcomePollInterval;

	private final Duration shutdownTimeout;

	private final boolean ownWorkers;

	private volatile boolean accepting;

	private volatile boolean started;

	QueueEngine(QueueEngineBuilder builder) {
		this.store = Objects.requireNonNull(builder.store, "store");
		this.clock = builder.clock;
		this.instanceId = builder.instanceId;
		this.lease = builder.lease;
		this.listener = builder.listener;
		this.history = builder.history;
		this.observer = builder.observer;
		this.codec = Objects.requireNonNull(builder.codec, "codec");
		this.settings = builder.settings;
		this.sharedStore = builder.sharedStore;
		this.pollInterval = builder.pollInterval;
		this.outcomePollInterval = builder.outcomePollInterval;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.outcomes = new Outcomes(this.store);
		this.ownWorkers = builder.workers == null;
		AtomicInteger count = new AtomicInteger();
		this.workers = (builder.workers != null) ? builder.workers : Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "tickwork-queue-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "tickwork-queue-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.setRemoveOnCancelPolicy(true);
		this.store.onWork(this::work);
		this.enqueuer = new Enqueuer(this, this.handled::containsKey, this.enqueuedTypes);
	}

	/**
	 * Starts building an engine.
	 * @return a builder
	 */
	public static QueueEngineBuilder builder() {
		return new QueueEngineBuilder();
	}

	/**
	 * The name under which a type's executions are kept in the job history.
	 * @param type the job type
	 * @return {@code queue:<type>}
	 */
	public static String historyName(String type) {
		return HISTORY_PREFIX + type;
	}

	/**
	 * Adds the handler of a type; its jobs start running once the engine is started.
	 * @param handler the handler
	 * @throws IllegalStateException if the type already has a handler
	 */
	public void register(HandlerDefinition handler) {
		TypeWorker worker = new TypeWorker(this, handler);
		TypeWorker existing = this.handled.putIfAbsent(handler.type(), worker);
		if (existing != null) {
			throw new IllegalStateException("Job type '" + handler.type() + "' has two handlers: "
					+ existing.handler.source() + " and " + handler.source());
		}
		if (this.accepting) {
			worker.poll();
		}
	}

	/**
	 * The handlers of this instance.
	 * @return the handlers, by type
	 */
	public List<HandlerDefinition> handlers() {
		return this.handled.values().stream().map((worker) -> worker.handler).toList();
	}

	/**
	 * Starts taking jobs: claims every handled type now, then when the store says there is
	 * work, when a delayed job is due, and every poll interval in case a notice was lost.
	 */
	public synchronized void start() {
		if (this.started) {
			return;
		}
		this.started = true;
		this.accepting = true;
		this.handled.values().forEach(TypeWorker::poll);
		long poll = this.pollInterval.toMillis();
		this.timer.scheduleWithFixedDelay(() -> this.handled.values().forEach(TypeWorker::poll), poll, poll,
				TimeUnit.MILLISECONDS);
		long renew = Math.max(1, this.lease.toMillis() / 3);
		this.timer.scheduleWithFixedDelay(() -> this.handled.values().forEach(TypeWorker::renewSoon), renew, renew,
				TimeUnit.MILLISECONDS);
		long outcomes = Math.max(1, this.outcomePollInterval.toMillis());
		this.timer.scheduleWithFixedDelay(() -> {
			if (!this.outcomes.isEmpty()) {
				this.outcomes.poll();
			}
		}, outcomes, outcomes, TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops taking jobs, lets running attempts end within the shutdown timeout, then
	 * interrupts the others and gives their jobs back to the queue without counting the
	 * attempt.
	 */
	public void stop() {
		synchronized (this) {
			if (!this.accepting && !this.started) {
				return;
			}
			this.accepting = false;
		}
		this.handled.values().forEach(TypeWorker::cancelTimers);
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		awaitIdle(deadline);
		if (running() > 0) {
			logger.warn("Queued jobs still running after {}: interrupting {} of them, they go back to the queue",
					this.shutdownTimeout, running());
			this.handled.values().forEach(TypeWorker::interruptAll);
			awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
		}
		this.handled.values().forEach(TypeWorker::flush);
		this.timer.shutdownNow();
		this.handled.values().forEach(TypeWorker::close);
		if (this.ownWorkers) {
			this.workers.shutdownNow();
		}
		this.started = false;
	}

	private void awaitIdle(long deadline) {
		while (running() > 0 && deadline - System.nanoTime() > 0) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * The number of attempts running on this instance.
	 * @return the count
	 */
	public int running() {
		int count = 0;
		for (TypeWorker worker : this.handled.values()) {
			count += worker.running();
		}
		return count;
	}

	boolean isAccepting() {
		return this.accepting;
	}

	QueueSettings settings(String type) {
		return this.settings.apply(type);
	}

	private void work(String type, Instant due) {
		TypeWorker worker = this.handled.get(type);
		if (worker != null && this.accepting) {
			worker.wake(due);
		}
	}

	@Override
	public String enqueue(JobRequest request) {
		return this.enqueuer.enqueue(request, null);
	}

	@Override
	public List<String> enqueueAll(List<JobRequest> requests) {
		return this.enqueuer.enqueueAll(requests);
	}

	@Override
	public String enqueue(JobRequest request, Duration waitIfFull) {
		return this.enqueuer.enqueue(request, waitIfFull);
	}

	@Override
	public boolean tryEnqueue(JobRequest request) {
		return this.enqueuer.offer(request) != null;
	}

	@Override
	public Optional<QueuedJob> get(String id) {
		for (String type : types()) {
			Optional<QueuedJob> job = this.store.get(type, id);
			if (job.isPresent()) {
				return job;
			}
		}
		return Optional.empty();
	}

	@Override
	public Optional<QueuedJob> get(String type, String id) {
		return this.store.get(JobRequest.checkType(type), id);
	}

	@Override
	public boolean cancel(String id) {
		Optional<QueuedJob> job = get(id);
		if (job.isEmpty()) {
			return false;
		}
		String type = job.get().type();
		boolean cancelled = this.store.cancel(type, id, this.clock.instant(), settings(type).retention());
		if (cancelled) {
			this.store.get(type, id).ifPresent(this.outcomes::ended);
		}
		return cancelled;
	}

	@Override
	public long size(String type) {
		QueueStore.Counts counts = this.store.counts(JobRequest.checkType(type));
		return counts.ready() + counts.delayed() + counts.running();
	}

	@Override
	public List<QueuedJob> deadLetters(String type, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit " + limit + " must be at least 1");
		}
		this.store.deleteDead(JobRequest.checkType(type), null,
				this.clock.instant().minus(settings(type).deadLetterTtl()));
		return this.store.deadLetters(type, limit);
	}

	@Override
	public boolean requeue(String id) {
		Optional<QueuedJob> job = get(id);
		return job.isPresent() && this.store.requeue(job.get().type(), id, this.clock.instant());
	}

	@Override
	public boolean deleteDeadLetter(String id) {
		Optional<QueuedJob> job = get(id);
		if (job.isEmpty()) {
			return false;
		}
		String type = job.get().type();
		return this.store.deleteDead(type, id, this.clock.instant().minus(settings(type).deadLetterTtl()));
	}

	@Override
	public CompletableFuture<QueuedJob> outcome(String id, Duration timeout) {
		Optional<QueuedJob> job = get(id);
		if (job.isEmpty()) {
			return CompletableFuture.failedFuture(new NoSuchElementException("No queued job has id '" + id + "'"));
		}
		return this.outcomes.await(job.get(), timeout);
	}

	@Override
	public void pause(String type) {
		this.store.setPaused(JobRequest.checkType(type), true);
	}

	@Override
	public void resume(String type) {
		this.store.setPaused(JobRequest.checkType(type), false);
	}

	@Override
	public List<QueueInfo> queues() {
		List<QueueInfo> infos = new ArrayList<>();
		for (String type : new TreeSet<>(types())) {
			QueueStore.Counts counts = this.store.counts(type);
			infos.add(new QueueInfo(type, counts.ready(), counts.delayed(), counts.running(), counts.dead(),
					counts.paused(), this.handled.containsKey(type)));
		}
		return infos;
	}

	/** Every type this instance knows: handled, enqueued here, or in the store. */
	private Set<String> types() {
		Set<String> types = new LinkedHashSet<>(this.enqueuedTypes);
		types.addAll(this.handled.keySet());
		types.addAll(this.store.types());
		return types;
	}

}
