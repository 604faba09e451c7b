package io.tickwork.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.tickwork.JobDefinition;
import io.tickwork.JobListener;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.lock.JobLock;
import io.tickwork.state.JobStateStore;

/**
 * Builds a {@link TickworkEngine}: its clock, executor, stores, listener and timings.
 * Not thread-safe.
 *
 * @since 0.1.0
 */
public final class TickworkEngineBuilder {

	Clock clock = Clock.systemUTC();

	Executor executor;

	JobLock lock;

	JobHistory history;

	JobStateStore state;

	JobListener listener = JobListener.NO_OP;

	String instanceId = "local";

	String storeDescription;

	Duration tickInterval = Duration.ofSeconds(1);

	int maxConcurrent = 16;

	Duration misfireThreshold = Duration.ofSeconds(5);

	Duration shutdownTimeout = Duration.ofSeconds(30);

	Duration lockTtl = Duration.ofSeconds(30);

	boolean ownTicker = true;

	boolean scheduling = true;

	Duration startLead = Duration.ofNanos(800_000);

	Duration standbyDelay = Duration.ofMillis(200);

	Duration standbyMaxDelay = Duration.ofSeconds(1);

	UnaryOperator<JobDefinition> customizer = UnaryOperator.identity();

	final List<Consumer<Set<String>>> maintenance = new ArrayList<>();

	TickworkEngineBuilder() {
	}

	/**
	 * Adds a task that the engine runs in the background about once per lock time to
	 * live while it runs, with the names of the registered jobs; a store uses it to
	 * flush buffered writes and find abandoned executions.
	 * @param task the task
	 * @return this builder
	 */
	public TickworkEngineBuilder maintenance(Consumer<Set<String>> task) {
		this.maintenance.add(Objects.requireNonNull(task, "task must not be null"));
		return this;
	}

	/**
	 * Sets the clock that decides when fires are due. Defaults to the UTC system clock.
	 * @param clock the clock
	 * @return this builder
	 */
	public TickworkEngineBuilder clock(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		return this;
	}

	/**
	 * Sets the executor that runs attempts and the claims of a lock that blocks; the
	 * engine itself keeps at most {@link #maxConcurrent(int)} attempts at once.
	 * @param executor the executor
	 * @return this builder
	 */
	public TickworkEngineBuilder executor(Executor executor) {
		this.executor = executor;
		return this;
	}

	/**
	 * Sets the lock that claims fires.
	 * @param lock the lock
	 * @return this builder
	 */
	public TickworkEngineBuilder lock(JobLock lock) {
		this.lock = lock;
		return this;
	}

	/**
	 * Sets the execution history.
	 * @param history the history
	 * @return this builder
	 */
	public TickworkEngineBuilder history(JobHistory history) {
		this.history = history;
		return this;
	}

	/**
	 * Sets the store of pauses and last fires.
	 * @param state the state store
	 * @return this builder
	 */
	public TickworkEngineBuilder state(JobStateStore state) {
		this.state = state;
		return this;
	}

	/**
	 * Sets the listener of executions.
	 * @param listener the listener
	 * @return this builder
	 */
	public TickworkEngineBuilder listener(JobListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		return this;
	}

	/**
	 * Sets what the engine says, once when it starts, of where it keeps its locks, state
	 * and history, such as {@code Redis at redis.internal:6379}. Defaults to memory for
	 * the in-memory lock and history, and to their class names otherwise.
	 * @param storeDescription the description
	 * @return this builder
	 * @since 0.1.0
	 */
	public TickworkEngineBuilder storeDescription(String storeDescription) {
		this.storeDescription = Objects.requireNonNull(storeDescription, "storeDescription must not be null");
		return this;
	}

	/**
	 * Sets the identifier of this instance.
	 * @param instanceId the instance id
	 * @return this builder
	 */
	public TickworkEngineBuilder instanceId(String instanceId) {
		this.instanceId = Objects.requireNonNull(instanceId, "instanceId must not be null");
		return this;
	}

	/**
	 * Sets the longest time the ticker sleeps.
	 * @param tickInterval the tick interval
	 * @return this builder
	 */
	public TickworkEngineBuilder tickInterval(Duration tickInterval) {
		this.tickInterval = tickInterval;
		return this;
	}

	/**
	 * Sets the maximum number of attempts that run at once. Claims do not count: up to
	 * four times as many may be in flight, and none is sent while this many won fires
	 * wait for a worker.
	 * @param maxConcurrent the limit
	 * @return this builder
	 */
	public TickworkEngineBuilder maxConcurrent(int maxConcurrent) {
		this.maxConcurrent = maxConcurrent;
		return this;
	}

	/**
	 * Sets how late a fire may be found before the misfire policy applies.
	 * @param misfireThreshold the threshold
	 * @return this builder
	 */
	public TickworkEngineBuilder misfireThreshold(Duration misfireThreshold) {
		this.misfireThreshold = misfireThreshold;
		return this;
	}

	/**
	 * Sets how long {@link TickworkEngine#stop()} waits for running executions
	 * before interrupting them.
	 * @param shutdownTimeout the timeout
	 * @return this builder
	 */
	public TickworkEngineBuilder shutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout must not be null");
		return this;
	}

	/**
	 * Sets the time to live of a fire's lock; it is renewed every third of it.
	 * @param lockTtl the lock's time to live
	 * @return this builder
	 */
	public TickworkEngineBuilder lockTtl(Duration lockTtl) {
		this.lockTtl = lockTtl;
		return this;
	}

	/**
	 * Sets how long before its scheduled time the ticker hands a fire out: its claim
	 * is sent and a worker takes it, then waits for the scheduled time, so that the
	 * hand-off does not make the start late. A fire never starts early; it is
	 * claimed up to this much early, and an execution of the same job that ends
	 * within the lead is seen as overlapping. Zero hands fires out when due. Between
	 * zero and 10 ms; defaults to 800 µs, which is not a whole number of milliseconds,
	 * so that the ticker does not wake when the fires due on a whole millisecond start.
	 * @param startLead the lead
	 * @return this builder
	 * @since 0.1.0
	 */
	public TickworkEngineBuilder startLead(Duration startLead) {
		this.startLead = startLead;
		return this;
	}

	/**
	 * Sets how late an instance asks for the fires of a job whose latest fire it asked
	 * for another instance claimed: that instance claims them on time, and one late
	 * answer tells this one all it claimed meanwhile, so that an instance that does not
	 * run a job costs the store a claim per this delay instead of one per fire. While
	 * the answers keep saying so, the time between two questions about a job that fires
	 * more often doubles, up to {@link #standbyMaxDelay(Duration)}. A fire that no
	 * instance claimed on time (its instance stopped) runs up to this much late, or up to
	 * twice the longest delay for a job that fires more often. Zero asks for every fire
	 * on time. At least zero; at most half the misfire threshold is used. Defaults to
	 * 200 ms.
	 * @param standbyDelay the delay
	 * @return this builder
	 * @since 0.2.0
	 */
	public TickworkEngineBuilder standbyDelay(Duration standbyDelay) {
		this.standbyDelay = standbyDelay;
		return this;
	}

	/**
	 * Sets the longest time between two questions about a job on standby (see
	 * {@link #standbyDelay(Duration)}): while another instance keeps claiming the fires of
	 * a job that fires more often than the standby delay, the time doubles with each
	 * answer that says so, up to this. A fire of such a job whose instance stopped is
	 * taken over up to twice this late. At least zero; a value below the standby delay
	 * keeps the delay from growing, and at most half the misfire threshold is used.
	 * Defaults to 1 s.
	 * @param standbyMaxDelay the longest delay
	 * @return this builder
	 * @since 0.2.0
	 */
	public TickworkEngineBuilder standbyMaxDelay(Duration standbyMaxDelay) {
		this.standbyMaxDelay = standbyMaxDelay;
		return this;
	}

	/**
	 * Sets whether the engine fires jobs on their schedules. Without, jobs are
	 * registered and listed but run only when asked with {@code trigger}: what
	 * {@code tickwork.enabled=false} configures, for tests and for instances that must
	 * not run scheduled work. Defaults to {@code true}.
	 * @param scheduling whether scheduled fires happen
	 * @return this builder
	 * @since 0.1.0
	 */
	public TickworkEngineBuilder scheduling(boolean scheduling) {
		this.scheduling = scheduling;
		return this;
	}

	/**
	 * Sets whether {@link TickworkEngine#start()} starts a ticker thread. Without
	 * one, fires are processed only when {@link TickworkEngine#tick()} is called,
	 * which is how tests drive the engine with a controllable clock.
	 * @param ownTicker whether to start a ticker thread
	 * @return this builder
	 */
	public TickworkEngineBuilder ticker(boolean ownTicker) {
		this.ownTicker = ownTicker;
		return this;
	}

	/**
	 * Sets a function applied to definitions given to
	 * {@link TickworkEngine#schedule(JobDefinition)}, such as per-job overrides
	 * from configuration.
	 * @param customizer the function
	 * @return this builder
	 */
	public TickworkEngineBuilder definitionCustomizer(UnaryOperator<JobDefinition> customizer) {
		this.customizer = Objects.requireNonNull(customizer, "customizer must not be null");
		return this;
	}

	/**
	 * Builds the engine.
	 * @return the engine
	 */
	public TickworkEngine build() {
		return new TickworkEngine(this);
	}

	/** What the start line says of a store nobody described: memory, or the classes in use. */
	static String describe(JobLock lock, JobHistory history) {
		if (lock instanceof InMemoryJobLock && history instanceof InMemoryJobHistory) {
			return "memory (this instance only: nothing is shared with other instances or kept across restarts)";
		}
		return "lock " + lock.getClass().getSimpleName() + ", history " + history.getClass().getSimpleName();
	}

}
