package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.SkipReason;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JobDefinition#runOnStart()}: instances that share one store and start
 * run a job's missed previous fire once between them.
 */
class RunOnStartTests {

	/** A Wednesday. */
	private static final Instant START = Instant.parse("2026-01-07T10:00:00Z");

	/** Mondays at 09:00 UTC. */
	private static final Schedule WEEKLY = Schedule.cron("0 9 * * MON", ZoneOffset.UTC);

	private static final Instant PREVIOUS_MONDAY = Instant.parse("2026-01-05T09:00:00Z");

	private final SharedStore store = new SharedStore(START);

	private final InMemoryJobStateStore state = this.store.state;

	private final InMemoryJobHistory history = this.store.history;

	private final MutableClock clock = this.store.clock;

	private final List<TickworkEngine> engines = this.store.engines;

	private final AtomicInteger runs = new AtomicInteger();

	@AfterEach
	void stop() {
		this.store.close();
	}

	private TickworkEngine instance(String id, JobDefinition.Builder job) {
		return this.store.instance(id, job.build());
	}

	private JobDefinition.Builder report(Schedule schedule) {
		return JobDefinition.builder("report", schedule, (context) -> this.runs.incrementAndGet()).runOnStart(true);
	}

	private List<JobExecution> awaitFinished(int count) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.history.recent("report", 100).stream().filter((e) -> e.status().isFinished()).count(),
					(n) -> n >= count);
		return this.history.recent("report", 100);
	}

	@Test
	void instancesStartingTogetherRunThePreviousFireOnce() throws Exception {
		TickworkEngine a = instance("a", report(WEEKLY));
		TickworkEngine b = instance("b", report(WEEKLY));
		TickworkEngine c = instance("c", report(WEEKLY));
		a.start();
		b.start();
		c.start();
		JobExecution execution = awaitFinished(1).get(0);
		Thread.sleep(200);
		assertThat(this.runs).hasValue(1);
		assertThat(this.history.recent("report", 100)).hasSize(1);
		assertThat(execution.trigger()).isEqualTo(Trigger.START);
		assertThat(execution.scheduledTime()).isEqualTo(PREVIOUS_MONDAY);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(a.job("report").nextFireTime()).isEqualTo(Instant.parse("2026-01-12T09:00:00Z"));
	}

	@Test
	void aRollingRestartDoesNotRunItAgain() throws Exception {
		instance("a", report(WEEKLY)).start();
		awaitFinished(1);
		this.clock.advance(Duration.ofMinutes(5));
		this.engines.remove(0).stop();
		instance("a2", report(WEEKLY)).start();
		this.clock.advance(Duration.ofMinutes(5));
		instance("b2", report(WEEKLY)).start();
		Thread.sleep(300);
		assertThat(this.runs).hasValue(1);
		assertThat(this.history.recent("report", 100)).hasSize(1);
	}

	@Test
	void aJobThatRanItsPreviousFireDoesNotRunOnStart() throws Exception {
		this.state.takeFire("report", PREVIOUS_MONDAY);
		instance("a", report(WEEKLY)).start();
		Thread.sleep(300);
		assertThat(this.runs).hasValue(0);
		assertThat(this.history.recent("report", 100)).isEmpty();
	}

	@Test
	void firesMissedBeforeThePreviousOneAreRecordedSkipped() {
		this.state.takeFire("report", PREVIOUS_MONDAY.minus(Duration.ofDays(21)));
		instance("a", report(WEEKLY)).start();
		List<JobExecution> executions = awaitFinished(2);
		assertThat(this.runs).hasValue(1);
		assertThat(executions).filteredOn((e) -> e.status() == ExecutionStatus.SKIPPED).singleElement()
			.satisfies((skipped) -> {
				assertThat(skipped.scheduledTime()).isEqualTo(PREVIOUS_MONDAY.minus(Duration.ofDays(14)));
				assertThat(skipped.skipReason()).isEqualTo(SkipReason.MISFIRE);
				assertThat(skipped.skipDetail()).isEqualTo("2 fire(s) missed from 2025-12-22T09:00:00Z to "
						+ "2025-12-29T09:00:00Z; runOnStart runs the latest, at 2026-01-05T09:00:00Z");
			});
		assertThat(executions).filteredOn((e) -> e.trigger() == Trigger.START).singleElement()
			.satisfies((run) -> assertThat(run.scheduledTime()).isEqualTo(PREVIOUS_MONDAY));
	}

	@Test
	void withoutRunOnStartAJobNewToTheClusterWaitsForItsNextFire() throws Exception {
		instance("a", report(WEEKLY).runOnStart(false)).start();
		Thread.sleep(300);
		assertThat(this.runs).hasValue(0);
	}

	@Test
	void previousFindsTheLatestFireAtOrBeforeAnInstant() {
		assertThat(FirePlanner.previous(WEEKLY, START)).contains(PREVIOUS_MONDAY);
		assertThat(FirePlanner.previous(WEEKLY, PREVIOUS_MONDAY)).contains(PREVIOUS_MONDAY);
		assertThat(FirePlanner.previous(Schedule.cron("0 0 1 1 *", ZoneOffset.UTC), START))
			.contains(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(FirePlanner.previous(Schedule.cron("0 0 29 2 *", ZoneOffset.UTC), START))
			.contains(Instant.parse("2024-02-29T00:00:00Z"));
		assertThat(FirePlanner.previous(Schedule.every(Duration.ofSeconds(10), Duration.ZERO), START.plusMillis(9999)))
			.contains(START);
		assertThat(FirePlanner.previous(Schedule.cron("* * * * *", ZoneOffset.UTC), START.plusSeconds(59)))
			.contains(START);
	}

	@Test
	void aFixedDelayJobCannotRunOnStart() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> report(Schedule.fixedDelay(Duration.ofMinutes(1))).build())
			.withMessageContaining("runOnStart needs a schedule with fire times of its own");
	}

}
