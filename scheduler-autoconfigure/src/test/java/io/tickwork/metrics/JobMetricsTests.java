package io.tickwork.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.Backoff;
import io.tickwork.JobDefinition;
import io.tickwork.JobListener;
import io.tickwork.JobTask;
import io.tickwork.RetryPolicy;
import io.tickwork.engine.CompositeJobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each outcome moves the right meter with the right tags.
 */
class JobMetricsTests {

	private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final InMemoryJobStateStore state = new InMemoryJobStateStore();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private TickworkEngine engine;

	@AfterEach
	void stop() {
		this.engine.stop();
		this.executor.shutdownNow();
	}

	private void engine(List<JobListener> listeners, Consumer<TickworkEngine> jobs) {
		this.engine = TickworkEngine.builder()
			.clock(this.clock)
			.executor(this.executor)
			.lock(new InMemoryJobLock(this.state, this.clock))
			.history(new InMemoryJobHistory(this.clock, 100, Duration.ofDays(1)))
			.state(this.state)
			.listener(new CompositeJobListener(listeners))
			.ticker(false)
			.shutdownTimeout(Duration.ofMillis(100))
			.build();
		jobs.accept(this.engine);
		this.engine.start();
	}

	private void plainMeters(Consumer<TickworkEngine> jobs) {
		engine(List.of(new JobMetricsListener(this.registry), new JobTimingListener(this.registry)), jobs);
	}

	private static JobDefinition job(String name, JobTask task) {
		return JobDefinition.builder(name, Schedule.every(Duration.ofSeconds(10), Duration.ZERO), task).build();
	}

	private void fire() {
		this.clock.advance(Duration.ofSeconds(10));
		this.engine.tick();
	}

	private Timer execution(String job, String outcome, String exception) {
		return this.registry.find("tickwork.job.execution")
			.tags("job", job, "outcome", outcome, "exception", exception)
			.timer();
	}

	private void awaitExecutions(String job, String outcome, String exception, int count) {
		await().until(() -> execution(job, outcome, exception) != null
				&& execution(job, outcome, exception).count() == count);
	}

	@Test
	void successIsTimedWithItsLatenessAndClaim() {
		plainMeters((engine) -> engine.register(job("ok", (ctx) -> this.clock.advance(Duration.ofMillis(40)))));
		this.clock.advance(Duration.ofMillis(10_250));
		this.engine.tick();
		awaitExecutions("ok", "success", "none", 1);
		assertThat(execution("ok", "success", "none").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
		Timer lateness = this.registry.find("tickwork.job.lateness").tag("job", "ok").timer();
		assertThat(lateness.count()).isEqualTo(1);
		assertThat(lateness.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
		assertThat(this.registry.find("tickwork.job.claims").tags("job", "ok", "outcome", "acquired").counter().count())
			.isEqualTo(1);
	}

	@Test
	void failureIsTaggedWithTheExceptionAndRetriesAreCounted() {
		plainMeters((engine) -> engine.register(JobDefinition.builder("broken", Schedule.every(Duration.ofSeconds(10), Duration.ZERO),
				(ctx) -> {
					throw new IllegalStateException("boom");
				}).retry(new RetryPolicy(2, Backoff.FIXED, Duration.ZERO, 1, Duration.ZERO, 0)).build()));
		fire();
		await().until(() -> this.registry.find("tickwork.job.retries").counter() != null);
		this.engine.tick();
		awaitExecutions("broken", "failure", "IllegalStateException", 1);
		assertThat(this.registry.find("tickwork.job.retries").tag("job", "broken").counter().count()).isEqualTo(1);
	}

	@Test
	void eachJobThatFiredHasAFailureRateGaugeFromItsStatistics() {
		engine(List.of(new JobMetricsListener(this.registry, (job) -> this.engine.stats(job)),
				new JobTimingListener(this.registry)),
				(engine) -> engine.register(job("flaky", (ctx) -> {
					if (this.registry.find("tickwork.job.execution").timers().size() % 2 == 1) {
						throw new IllegalStateException("every other run fails");
					}
				})));
		assertThat(this.registry.find(JobMetricsListener.FAILURE_RATE).gauge()).isNull();
		fire();
		awaitExecutions("flaky", "success", "none", 1);
		assertThat(this.registry.find(JobMetricsListener.FAILURE_RATE).tag("job", "flaky").gauge().value()).isZero();
		assertThat(this.engine.trigger("flaky").join().status()).isEqualTo(io.tickwork.ExecutionStatus.FAILED);
		// the gauge reads the statistics at most every 10 s: the failure shows later
		assertThat(this.registry.find(JobMetricsListener.FAILURE_RATE).tag("job", "flaky").gauge().value()).isZero();
		assertThat(this.engine.stats("flaky").failureRate()).isEqualTo(0.5);
	}

	@Test
	void timeoutIsTaggedTimeout() {
		plainMeters((engine) -> engine.register(JobDefinition
			.builder("slow", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> Thread.sleep(60_000))
			.timeout(Duration.ofSeconds(1))
			.build()));
		fire();
		await().until(() -> this.engine.job("slow").running());
		this.clock.advance(Duration.ofSeconds(1));
		this.engine.tick();
		awaitExecutions("slow", "timeout", "none", 1);
	}

	@Test
	void interruptionAtShutdownIsTaggedInterruptedAndTheActiveTimerFollowsRunningExecutions() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		plainMeters((engine) -> engine.register(job("endless", (ctx) -> {
			started.countDown();
			Thread.sleep(60_000);
		})));
		fire();
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		LongTaskTimer active = this.registry.find("tickwork.job.execution.active").tag("job", "endless").longTaskTimer();
		assertThat(active.activeTasks()).isEqualTo(1);
		this.engine.stop();
		awaitExecutions("endless", "interrupted", "none", 1);
		assertThat(active.activeTasks()).isZero();
	}

	@Test
	void skippedFiresAreCountedByReasonAlongsideTheirClaims() {
		plainMeters((engine) -> engine.register(job("paused", (ctx) -> {
		})));
		this.engine.pause("paused");
		fire();
		await().until(() -> this.registry.find("tickwork.job.skipped").counter() != null);
		assertThat(this.registry.find("tickwork.job.skipped").tags("job", "paused", "reason", "paused").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.find("tickwork.job.claims").tags("job", "paused", "outcome", "paused").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.find("tickwork.job.execution").timer()).isNull();
	}

	@Test
	void executionsAreObservedWhenAnObservationRegistryExists() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		engine(List.of(new JobMetricsListener(this.registry), new JobObservationListener(observations)),
				(engine) -> engine.register(job("observed", (ctx) -> {
					throw new IllegalArgumentException("bad input");
				})));
		fire();
		await().until(() -> !this.engine.history("observed", 1).isEmpty()
				&& this.engine.history("observed", 1).get(0).status().isFinished());
		TestObservationRegistryAssert.assertThat(observations)
			.hasObservationWithNameEqualTo("tickwork.job.execution")
			.that()
			.hasContextualNameEqualTo("job observed")
			.hasLowCardinalityKeyValue("job", "observed")
			.hasLowCardinalityKeyValue("outcome", "failure")
			.hasLowCardinalityKeyValue("exception", "IllegalArgumentException")
			.hasHighCardinalityKeyValueWithKey("execution")
			.hasError();
		TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyRemainingCurrentObservation();
	}

}
