package io.tickwork.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.JobStats;
import io.tickwork.NoSuchJobException;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for the operations of {@link io.tickwork.JobScheduler} on groups of jobs: by
 * tag, statistics of all, executions by id, failure rates.
 */
class JobGroupOperationsTests {

	private TickworkEngine engine;

	@AfterEach
	void stop() {
		this.engine.stop();
	}

	private TickworkEngine engine() {
		InMemoryJobStateStore state = new InMemoryJobStateStore();
		this.engine = TickworkEngine.builder()
			.executor(Runnable::run)
			.state(state)
			.lock(new InMemoryJobLock(state, Clock.systemUTC()))
			.history(new InMemoryJobHistory(Clock.systemUTC(), 100, Duration.ofDays(1)))
			.ticker(false)
			.build();
		this.engine.register(JobDefinition.builder("report-a", Schedule.every(Duration.ofHours(1)), (ctx) -> {
		}).tags("reports").build());
		this.engine.register(JobDefinition.builder("report-b", Schedule.every(Duration.ofHours(1)), (ctx) -> {
			throw new IllegalStateException("boom");
		}).tags("reports", "flaky").build());
		this.engine.register(JobDefinition.builder("cleanup", Schedule.every(Duration.ofHours(1)), (ctx) -> {
		}).build());
		this.engine.start();
		return this.engine;
	}

	@Test
	void jobsOfATagAndRemovingThemAll() {
		TickworkEngine engine = engine();
		assertThat(engine.jobs("reports")).extracting(JobInfo::name).containsExactly("report-a", "report-b");
		assertThat(engine.jobs("none")).isEmpty();
		assertThat(engine.removeTag("reports")).containsExactly("report-a", "report-b");
		assertThat(engine.jobs()).extracting(JobInfo::name).containsExactly("cleanup");
		assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> engine.trigger("report-a"));
		assertThat(engine.removeTag("reports")).isEmpty();
	}

	@Test
	void statisticsOfEveryJobInOneCallWithTheirFailureRates() {
		TickworkEngine engine = engine();
		engine.trigger("report-a").join();
		engine.trigger("report-a").join();
		engine.trigger("report-a").join();
		engine.trigger("report-b").join();
		Map<String, JobStats> stats = engine.stats();
		assertThat(stats).containsOnlyKeys("cleanup", "report-a", "report-b");
		assertThat(stats.get("report-a").succeeded()).isEqualTo(3);
		assertThat(stats.get("report-a").failureRate()).isZero();
		assertThat(stats.get("report-b").failureRate()).isEqualTo(1.0);
		assertThat(stats.get("cleanup").failureRate()).isZero();
		JobStats mixed = new JobStats(5, 3, 1, 1, null, null, null, null, null, null);
		assertThat(mixed.failureRate()).isCloseTo(0.25, within(1e-9));
	}

	@Test
	void anExecutionOfAnyJobIsFoundByItsId() {
		TickworkEngine engine = engine();
		JobExecution first = engine.trigger("report-a").join();
		JobExecution failed = engine.trigger("report-b").join();
		assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
		assertThat(engine.execution(failed.id())).contains(failed);
		assertThat(engine.execution(first.id())).contains(first);
		assertThat(engine.execution("01NOSUCHEXECUTION")).isEmpty();
	}

	@Test
	void manyJobsScheduledAtOnceOrNoneWhenOneIsBad() {
		TickworkEngine engine = engine();
		JobDefinition first = JobDefinition.builder("tenant-1", Schedule.every(Duration.ofMinutes(5)), (ctx) -> {
		}).build();
		JobDefinition second = JobDefinition.builder("tenant-2", Schedule.cron("0 3 * * *"), (ctx) -> {
		}).build();
		assertThat(engine.scheduleAll(List.of(first, second))).extracting(JobInfo::name)
			.containsExactly("tenant-1", "tenant-2");
		assertThat(engine.job("tenant-2").schedule()).isEqualTo("cron 0 3 * * *");
		JobDefinition third = JobDefinition.builder("tenant-3", Schedule.every(Duration.ofMinutes(5)), (ctx) -> {
		}).build();
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> engine.scheduleAll(List.of(third, first, first)))
			.withMessage("Job name 'tenant-1' appears twice among the 3 jobs given to scheduleAll; nothing was"
					+ " scheduled");
		JobDefinition declaredName = JobDefinition.builder("cleanup", Schedule.every(Duration.ofMinutes(5)), (ctx) -> {
		}).source("TenantJobs").build();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> engine.scheduleAll(List.of(third, declaredName)))
			.withMessageContaining("Job name 'cleanup' is declared by")
			.withMessageContaining("TenantJobs cannot replace it");
		assertThat(engine.jobs()).extracting(JobInfo::name).doesNotContain("tenant-3");
		// a replaced job keeps its pause, read with the others
		JobDefinition reportA = JobDefinition.builder("tenant-1", Schedule.every(Duration.ofMinutes(9)), (ctx) -> {
		}).build();
		engine.pause("tenant-1");
		assertThat(engine.scheduleAll(List.of(reportA, third))).extracting(JobInfo::name, JobInfo::paused)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("tenant-1", true),
					org.assertj.core.groups.Tuple.tuple("tenant-3", false));
	}

}
