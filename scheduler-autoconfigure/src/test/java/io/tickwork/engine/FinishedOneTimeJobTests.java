package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.NoSuchJobException;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a {@link Schedule#once(Instant)} job leaves the job list once its fire is
 * recorded, on every instance, while its history stays readable by name.
 */
class FinishedOneTimeJobTests {

	private static final Instant START = Instant.parse("2026-01-07T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final InMemoryJobStateStore state = new InMemoryJobStateStore();

	private final InMemoryJobLock lock = new InMemoryJobLock(this.state, this.clock);

	private final InMemoryJobHistory history = new InMemoryJobHistory(this.clock, 1000, Duration.ofDays(1));

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final List<TickworkEngine> engines = new ArrayList<>();

	private final AtomicInteger runs = new AtomicInteger();

	@AfterEach
	void stop() {
		this.engines.forEach(TickworkEngine::stop);
		this.executor.shutdownNow();
	}

	private TickworkEngine instance(String id) {
		TickworkEngine engine = TickworkEngine.builder()
			.clock(this.clock)
			.executor(this.executor)
			.lock(this.lock)
			.history(this.history)
			.state(this.state)
			.instanceId(id)
			.ticker(false)
			.build();
		engine.register(JobDefinition
			.builder("invoice", Schedule.once(START.plusSeconds(10)), (context) -> this.runs.incrementAndGet())
			.build());
		engine.register(JobDefinition.builder("ping", Schedule.every(Duration.ofSeconds(10)), (context) -> {
		}).build());
		this.engines.add(engine);
		engine.start();
		return engine;
	}

	@Test
	void aOneTimeJobLeavesEveryInstancesListAndKeepsItsHistory() {
		TickworkEngine a = instance("a");
		TickworkEngine b = instance("b");
		assertThat(a.jobs()).extracting(JobInfo::name).contains("invoice");
		this.clock.advance(Duration.ofSeconds(10));
		a.tick();
		b.tick();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> a.jobs().stream().noneMatch((job) -> job.name().equals("invoice"))
					&& b.jobs().stream().noneMatch((job) -> job.name().equals("invoice")));
		assertThat(this.runs).hasValue(1);
		for (TickworkEngine engine : List.of(a, b)) {
			List<JobExecution> executions = engine.history("invoice", 10);
			assertThat(executions).singleElement()
				.satisfies((execution) -> assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
			assertThat(engine.stats("invoice").succeeded()).isEqualTo(1);
			assertThat(engine.execution(executions.get(0).id())).contains(executions.get(0));
			assertThat(engine.jobs()).extracting(JobInfo::name).containsExactly("ping");
			assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> engine.job("invoice"));
		}
	}

	@Test
	void aOneTimeJobThatAlreadyRanLeavesAtOnceWhenRegisteredAgain() {
		TickworkEngine a = instance("a");
		this.clock.advance(Duration.ofSeconds(10));
		a.tick();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.get() == 1 && a.jobs().size() == 1);
		TickworkEngine restarted = instance("a2");
		this.clock.advance(Duration.ofSeconds(30));
		restarted.tick();
		assertThat(restarted.jobs()).extracting(JobInfo::name).containsExactly("ping");
		assertThat(restarted.history("invoice", 10)).hasSize(1);
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void historyOfANameThatWasNeverAJobIsStillAnError() {
		TickworkEngine a = instance("a");
		assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> a.history("nope", 10));
	}

}
