package io.tickwork.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import io.tickwork.JobListener;
import io.tickwork.history.JobHistory;

/**
 * Builds a {@link QueueEngine}.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public final class QueueEngineBuilder {

	QueueStore store;

	Clock clock = Clock.systemUTC();

	String instanceId = "local";

	Duration lease = Duration.ofSeconds(30);

	ExecutorService workers;

	JobListener listener = JobListener.NO_OP;

	JobHistory history = JobHistory.NONE;

	QueueObserver observer = QueueObserver.NONE;

	PayloadCodec codec;

	Function<String, QueueSettings> settings = (type) -> QueueSettings.DEFAULTS;

	boolean sharedStore;

	Duration pollInterval = Duration.ofSeconds(1);

	Duration outcomePollInterval = Duration.ofMillis(100);

	Duration shutdownTimeout = Duration.ofSeconds(30);

	QueueEngineBuilder() {
	}

	/**
	 * Sets the store.
	 * @param store the store
	 * @param shared whether other instances share it (with a store that is not shared,
	 * enqueueing a type without a handler here is an error)
	 * @return this builder
	 */
	public QueueEngineBuilder store(QueueStore store, boolean shared) {
		this.store = store;
		this.sharedStore = shared;
		return this;
	}

	/**
	 * Sets the clock.
	 * @param clock the clock
	 * @return this builder
	 */
	public QueueEngineBuilder clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	/**
	 * Sets the id of this instance, recorded with each attempt it runs.
	 * @param instanceId the id
	 * @return this builder
	 */
	public QueueEngineBuilder instanceId(String instanceId) {
		this.instanceId = instanceId;
		return this;
	}

	/**
	 * Sets how long a lease lasts unless renewed; it is renewed every third of it.
	 * @param lease the lease time
	 * @return this builder
	 */
	public QueueEngineBuilder lease(Duration lease) {
		this.lease = lease;
		return this;
	}

	/**
	 * Sets the executor that runs attempts; by default a pool of daemon threads.
	 * @param workers the executor
	 * @return this builder
	 */
	public QueueEngineBuilder workers(ExecutorService workers) {
		this.workers = workers;
		return this;
	}

	/**
	 * Sets the listener of attempts.
	 * @param listener the listener
	 * @return this builder
	 */
	public QueueEngineBuilder listener(JobListener listener) {
		this.listener = listener;
		return this;
	}

	/**
	 * Sets the history that keeps each attempt, under {@code queue:<type>}.
	 * @param history the history
	 * @return this builder
	 */
	public QueueEngineBuilder history(JobHistory history) {
		this.history = history;
		return this;
	}

	/**
	 * Sets the observer of enqueues, waits and dead letters.
	 * @param observer the observer
	 * @return this builder
	 */
	public QueueEngineBuilder observer(QueueObserver observer) {
		this.observer = observer;
		return this;
	}

	/**
	 * Sets the payload codec.
	 * @param codec the codec
	 * @return this builder
	 */
	public QueueEngineBuilder codec(PayloadCodec codec) {
		this.codec = codec;
		return this;
	}

	/**
	 * Sets the settings of each type.
	 * @param settings the settings of a type
	 * @return this builder
	 */
	public QueueEngineBuilder settings(Function<String, QueueSettings> settings) {
		this.settings = settings;
		return this;
	}

	/**
	 * Sets how often every handled type is claimed even without a notice of work.
	 * @param pollInterval the interval
	 * @return this builder
	 */
	public QueueEngineBuilder pollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
		return this;
	}

	/**
	 * Sets how often the outcome of a job run elsewhere is read while someone waits.
	 * @param outcomePollInterval the interval
	 * @return this builder
	 */
	public QueueEngineBuilder outcomePollInterval(Duration outcomePollInterval) {
		this.outcomePollInterval = outcomePollInterval;
		return this;
	}

	/**
	 * Sets how long {@link QueueEngine#stop()} lets running attempts end.
	 * @param shutdownTimeout the timeout
	 * @return this builder
	 */
	public QueueEngineBuilder shutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
		return this;
	}

	/**
	 * Builds the engine.
	 * @return the engine, not started
	 */
	public QueueEngine build() {
		return new QueueEngine(this);
	}

}
