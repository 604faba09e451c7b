package io.tickwork.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.JobListener;
import io.tickwork.JobRun;
import io.tickwork.JobScheduler;
import io.tickwork.JobStats;
import io.tickwork.SkipReason;
import io.tickwork.engine.Lifecycle.Phase;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.JobLock;
import io.tickwork.state.JobStateStore;

/**
 * The engine behind {@link JobScheduler}, a facade over its rooms: the {@link JobRegistry}
 * of jobs, the {@link Ticker} that decides when (a heap of timed actions and armed fires
 * worked by one ticker thread), the {@link FirePlanner} that arms fires and applies
 * misfire policies, the {@link FireQueue} that keeps each job's fires in order, the
 * {@link ClaimStep}, the {@link Runner} that does one run (attempts, timeout, retry), the
 * {@link ReleaseStep} and {@link Recorder} that end it, and the {@link LeaseKeeper} that
 * renews leases. {@code docs/architecture.md} shows the way of a fire through them.
 * <p>
 * The engine knows nothing of Spring: it takes a {@link Clock}, an {@link Executor} and
 * the store SPIs, so tests drive it with a controllable clock and {@link #tick()}.
 * Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class TickworkEngine implements JobScheduler {

	private static final Logger logger = LoggerFactory.getLogger(TickworkEngine.class);

	private final EngineSettings settings;

	private final boolean ownTicker;

	private final UnaryOperator<JobDefinition> customizer;

	private final JobHistory history;

	private final JobStateStore state;

	private final Lifecycle lifecycle = new Lifecycle();

	private final JobRegistry jobs = new JobRegistry();

	private final Dispatcher dispatcher;

	private final ActiveRuns runs = new ActiveRuns(this.lifecycle);

	private final Ticker ticker;

	private final FirePlanner planner;

	private final FireQueue fires;

	private final ClaimStep claims;

	private final Runner runner;

	private final Shutdown shutdown;

	private final Object lifecycleMonitor = new Object();

	private final String storeDescription;

	private final boolean scheduling;

	TickworkEngine(TickworkEngineBuilder builder) {
		JobLock lock = Objects.requireNonNull(builder.lock, "lock must not be null");
		this.history = Objects.requireNonNull(builder.history, "history must not be null");
		this.state = Objects.requireNonNull(builder.state, "state must not be null");
		// a listener that throws must not cut an execution's bookkeeping short
		JobListener listener = (builder.listener instanceof CompositeJobListener) ? builder.listener
				: new CompositeJobListener(List.of(builder.listener));
		this.settings = EngineSettings.checked(builder.instanceId, builder.tickInterval, builder.misfireThreshold,
				builder.shutdownTimeout, builder.lockTtl, builder.startLead, builder.standbyDelay,
				builder.standbyMaxDelay);
		this.ownTicker = builder.ownTicker;
		this.scheduling = builder.scheduling;
		this.storeDescription = (builder.storeDescription != null) ? builder.storeDescription
				: TickworkEngineBuilder.describe(lock, this.history);
		this.customizer = builder.customizer;
		EngineClock clock = new EngineClock(builder.clock);
		this.dispatcher = new Dispatcher(Objects.requireNonNull(builder.executor, "executor must not be null"),
				builder.maxConcurrent);
		Executor keeper = LeaseKeeper.newKeeperThread();
		Warnings warnings = new Warnings();
		Recorder recorder = new Recorder(this.history, lock, listener, clock, this.settings.instanceId(), warnings);
		// the arrows that point back up the way of a fire are callbacks, wired here
		LeaseKeeper leases = new LeaseKeeper(clock, lock, this.runs, keeper, this.settings.lockTtl(),
				this.settings.renewalInterval(), this::lockLost, this::signalTicker);
		Maintenance maintenance = new Maintenance(builder.maintenance, keeper, this.jobs::names,
				this.settings.lockTtl());
		this.ticker = new Ticker(clock, this.lifecycle, this.settings.tickInterval(),
				this.settings.startLeadNanos(), this.settings.standbyNanos(), this::fireDue, leases, () -> {
					maintenance.run();
					warnings.flushIfDue();
				});
		this.fires = new FireQueue(clock, this.lifecycle, this.ticker, this.dispatcher, recorder,
				this::claim, this.settings.tickInterval(), this.settings.standbyNanos() > 0, this::finished);
		ReleaseStep releases = new ReleaseStep(lock, this.dispatcher, recorder, this.runs, this.fires);
		this.runner = new Runner(clock, this.lifecycle, this.ticker, this.dispatcher, recorder, this.runs,
				releases);
		this.claims = new ClaimStep(clock, this.lifecycle, lock, this.dispatcher, this.runs, recorder, this.fires,
				releases, leases, this.runner, this.settings);
		this.planner = new FirePlanner(clock, this.lifecycle, this.ticker, this.state, this.fires,
				this.settings.misfireThreshold(), warnings, this::finished);
		this.shutdown = new Shutdown(this.dispatcher, this.fires, this.runs, this.runner,
				this.settings.shutdownTimeout());
	}

	private void lockLost(Run run, String cause) {
		this.runner.lockLost(run, cause);
	}

	private void signalTicker() {
		this.ticker.signal();
	}

	private void fireDue(Job job, Instant time) {
		this.planner.fireDue(job, time);
	}

	private CompletionStage<Dispatcher.Task> claim(Fire fire) {
		return this.claims.claim(fire);
	}

	/**
	 * Starts building an engine.
	 * @return a builder
	 */
	public static TickworkEngineBuilder builder() {
		return new TickworkEngineBuilder();
	}

	/**
	 * Registers a job declared in the application (such as by {@code @ScheduledJob}).
	 * Unlike {@link #schedule(JobDefinition)}, a name already in use is an error.
	 * Registration never touches the stores, so it works while they are unreachable.
	 * @param definition the job
	 * @throws IllegalStateException if the name is already in use
	 */
	public void register(JobDefinition definition) {
		Job job = put(definition, false);
		if (this.scheduling && this.lifecycle.isRunning()) {
			this.planner.armFirst(job);
		}
	}

	@Override
	public JobInfo schedule(JobDefinition definition) {
		return scheduleAll(List.of(definition)).get(0);
	}

	@Override
	public List<JobInfo> scheduleAll(Collection<JobDefinition> definitions) {
		List<JobDefinition> customized = this.jobs.checkedReplacements(definitions, this.customizer);
		// each job's pause and last execution are asked for with its last fire, every job's together
		List<JobQueries.Reads> reads = customized.stream()
			.map((definition) -> JobQueries.read(definition.name(), this.state, this.history))
			.toList();
		List<Job> added = new ArrayList<>(customized.size());
		customized.forEach((definition) -> added.add(put(definition, true)));
		if (this.scheduling && this.lifecycle.isRunning()) {
			// and their last fires, all asked for before any answer is awaited
			this.planner.armFirst(added);
		}
		List<JobInfo> scheduled = new ArrayList<>(added.size());
		for (int i = 0; i < added.size(); i++) {
			scheduled.add(reads.get(i).info(added.get(i)));
		}
		return scheduled;
	}

	/** Adds a job to the list, unarmed, in place of the one it replaces. */
	private Job put(JobDefinition definition, boolean replace) {
		Job job = new Job(definition, !replace);
		Job old = this.jobs.add(job, replace);
		if (old != null) {
			retire(old);
		}
		return job;
	}

	/** A job whose schedule fires no more, and whose last fire ended, leaves the job list. */
	private void finished(Job job) {
		if (this.jobs.removeFinished(job)) {
			retire(job);
			logger.info("Job '{}' has no fire left and leaves the job list; its history stays readable", job.name);
		}
	}

	private void retire(Job job) {
		job.removed = true;
		this.ticker.disarm(job);
		synchronized (job) {
			job.backlog.clear();
		}
		job.nextFire(null);
		this.fires.dropPending(job, SkipReason.DISABLED, FireQueue.REMOVED_WHILE_WAITING);
	}

	@Override
	public void remove(String name) {
		Job job = this.jobs.require(name);
		this.jobs.remove(job);
		retire(job);
	}

	@Override
	public Set<String> removeTag(String tag) {
		Set<String> names = this.jobs.namesWithTag(tag);
		for (String name : names) {
			Job job = this.jobs.find(name);
			if (job != null) {
				this.jobs.remove(job);
				retire(job);
			}
		}
		logger.info("Jobs with tag '{}' removed: {}", tag, names);
		return names;
	}

	@Override
	public Optional<JobExecution> execution(String id) {
		return JobQueries.execution(id, this.jobs.knownNames(), this.history);
	}

	/**
	 * Starts firing jobs: computes each job's first fire and, unless the engine was built
	 * without its own ticker, starts the ticker thread.
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.lifecycle.isRunning()) {
				return;
			}
			this.lifecycle.set(Phase.RUNNING);
			if (this.scheduling) {
				this.planner.armFirst(this.jobs.all());
			}
			if (this.ownTicker) {
				this.ticker.startThread();
			}
			logger.info("Tickwork started on instance '{}' with {} job(s); store: {}{}", this.settings.instanceId(),
					this.jobs.size(), this.storeDescription,
					this.scheduling ? "" : "; scheduled fires are off, jobs run only when triggered");
		}
	}

	/**
	 * Whether the engine fires jobs.
	 * @return whether the engine is started and not stopping
	 */
	public boolean isRunning() {
		return this.lifecycle.isRunning();
	}

	/**
	 * Stops gracefully: takes no new fire, lets running executions end for up to the
	 * shutdown timeout, then interrupts them and records them as
	 * {@link ExecutionStatus#INTERRUPTED}.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (!this.lifecycle.isRunning()) {
				return;
			}
			this.lifecycle.set(Phase.STOPPING);
			this.ticker.signal();
			this.shutdown.drain(this.jobs.all());
			this.lifecycle.set(Phase.STOPPED);
			this.ticker.signal();
			this.ticker.joinThread();
			logger.info("Tickwork stopped on instance '{}'", this.settings.instanceId());
		}
	}

	/**
	 * Runs every timed action that is due by the engine's clock: fires, deadlines,
	 * retries and lock renewals. The ticker thread calls it; tests that build the engine
	 * without a ticker call it after moving their clock.
	 */
	public void tick() {
		this.ticker.tick(0);
	}

	/** Whether no execution runs here and no claim waits for its answer, for tests. */
	boolean isQuiet() {
		return this.runs.isQuiet();
	}

	/**
	 * Runs the timed actions that are due, and hands out the fires due within the lead.
	 * @param leadNanos how early fires are handed out
	 */
	void tick(long leadNanos) {
		this.ticker.tick(leadNanos);
	}

	@Override
	public List<JobInfo> jobs() {
		return JobQueries.infos(this.jobs.sorted(), this.state, this.history);
	}

	@Override
	public JobInfo job(String name) {
		return JobQueries.infos(List.of(this.jobs.require(name)), this.state, this.history).get(0);
	}

	@Override
	public List<Instant> nextFireTimes(String name, int count) {
		return JobQueries.nextFireTimes(this.jobs.require(name), count);
	}

	@Override
	public void pause(String name) {
		this.jobs.require(name);
		this.state.pause(name);
		logger.info("Job '{}' paused", name);
	}

	@Override
	public void resume(String name) {
		this.jobs.require(name);
		this.state.resume(name);
		logger.info("Job '{}' resumed", name);
	}

	@Override
	public Set<String> pauseTag(String tag) {
		Set<String> names = this.jobs.namesWithTag(tag);
		names.forEach(this::pause);
		return names;
	}

	@Override
	public Set<String> resumeTag(String tag) {
		Set<String> names = this.jobs.namesWithTag(tag);
		names.forEach(this::resume);
		return names;
	}

	@Override
	public JobRun trigger(String name) {
		Job job = this.jobs.require(name);
		Phase phase = this.lifecycle.phase();
		if (phase == Phase.STOPPING || phase == Phase.STOPPED) {
			throw new IllegalStateException("Cannot run job '" + name + "': the scheduler is stopped");
		}
		return this.planner.manual(job);
	}

	@Override
	public List<JobExecution> history(String name, int limit) {
		this.jobs.requireKnown(name);
		return this.history.recent(name, limit);
	}

	@Override
	public JobStats stats(String name) {
		this.jobs.requireKnown(name);
		return this.history.stats(name);
	}

	/**
	 * Identifier of this instance, as recorded in executions.
	 * @return the instance id
	 */
	public String instanceId() {
		return this.settings.instanceId();
	}

	@Override
	public String toString() {
		return "TickworkEngine[instance " + this.settings.instanceId() + ", " + this.jobs.size() + " jobs, "
				+ this.lifecycle.phase() + "]";
	}

}
