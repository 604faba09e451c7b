package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import io.tickwork.JobDefinition;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.test.MutableClock;

/**
 * Instances that share one in-memory store and one clock, as instances of a cluster share
 * Redis: each engine is built without its own ticker, and ticks when a test says so.
 */
final class SharedStore implements AutoCloseable {

	final MutableClock clock;

	final InMemoryJobStateStore state = new InMemoryJobStateStore();

	final InMemoryJobLock lock;

	final InMemoryJobHistory history;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	final List<TickworkEngine> engines = new ArrayList<>();

	SharedStore(Instant start) {
		this.clock = new MutableClock(start);
		this.lock = new InMemoryJobLock(this.state, this.clock);
		this.history = new InMemoryJobHistory(this.clock, 1000, Duration.ofDays(400));
	}

	/** An instance with the given jobs, not started. */
	TickworkEngine instance(String id, JobDefinition... jobs) {
		return instance(id, (builder) -> {
		}, jobs);
	}

	/** An instance with the given jobs and builder settings, not started. */
	TickworkEngine instance(String id, Consumer<TickworkEngineBuilder> customizer, JobDefinition... jobs) {
		TickworkEngineBuilder builder = TickworkEngine.builder()
			.clock(this.clock)
			.executor(this.executor)
			.lock(this.lock)
			.history(this.history)
			.state(this.state)
			.instanceId(id)
			.ticker(false);
		customizer.accept(builder);
		TickworkEngine engine = builder.build();
		for (JobDefinition job : jobs) {
			engine.register(job);
		}
		this.engines.add(engine);
		return engine;
	}

	@Override
	public void close() {
		this.engines.forEach(TickworkEngine::stop);
		this.executor.shutdownNow();
	}

}
