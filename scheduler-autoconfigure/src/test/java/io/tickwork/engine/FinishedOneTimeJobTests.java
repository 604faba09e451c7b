package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.NoSuchJobException;
import io.tickwork.schedule.Schedule;
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

	private final SharedStore store = new SharedStore(START);

	private final MutableClock clock = this.store.clock;

	private final AtomicInteger runs = new AtomicInteger();

	@AfterEach
	void stop() {
		this.store.close();
	}

	private TickworkEngine instance(String id) {
		TickworkEngine engine = this.store.instance(id,
				JobDefinition
					.builder("invoice", Schedule.once(START.plusSeconds(10)), (context) -> this.runs.incrementAndGet())
					.build(),
				JobDefinition.builder("ping", Schedule.every(Duration.ofSeconds(10)), (context) -> {
				}).build());
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
