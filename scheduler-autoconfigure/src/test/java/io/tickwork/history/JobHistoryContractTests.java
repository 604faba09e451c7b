package io.tickwork.history;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobStats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meaning every {@link JobHistory} must keep; subclasses supply the implementation,
 * capped at {@link #MAX_PER_JOB} executions per job.
 */
public abstract class JobHistoryContractTests {

	protected static final int MAX_PER_JOB = 5;

	protected static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

	/**
	 * The history under test, keeping {@link #MAX_PER_JOB} executions per job.
	 * @return the history
	 */
	protected abstract JobHistory history();

	protected static JobExecution execution(String id, String job, int second, ExecutionStatus status, long millis,
			String error) {
		Instant start = T.plusSeconds(second);
		Instant end = status.isFinished() ? start.plusMillis(millis) : null;
		return new JobExecution(id, job, start, start, end, status, status == ExecutionStatus.SKIPPED ? 0 : 1, error,
				"instance-a", 7, Trigger.SCHEDULE);
	}

	@Test
	void recentExecutionsComeNewestFirst() {
		history().record(execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 10, null));
		history().record(execution("b", "job", 2, ExecutionStatus.FAILED, 20, "boom"));
		history().record(execution("c", "other", 3, ExecutionStatus.SUCCEEDED, 10, null));
		assertThat(history().recent("job", 10)).extracting(JobExecution::id).containsExactly("b", "a");
		assertThat(history().recent("job", 1)).extracting(JobExecution::id).containsExactly("b");
		assertThat(history().recent("nobody", 10)).isEmpty();
		assertThat(history().recentAsync("job", 10)).succeedsWithin(Duration.ofSeconds(5))
			.satisfies((recent) -> assertThat(recent).extracting(JobExecution::id).containsExactly("b", "a"));
		assertThat(history().recentAsync("nobody", 10)).succeedsWithin(Duration.ofSeconds(5))
			.satisfies((recent) -> assertThat(recent).isEmpty());
	}

	@Test
	void recordsRoundTripEveryField() {
		JobExecution execution = execution("a", "job", 1, ExecutionStatus.TIMED_OUT, 1500, "timed out after 1s");
		history().record(execution);
		assertThat(history().recent("job", 1)).containsExactly(execution);
	}

	@Test
	void aFinishedRecordReplacesTheRunningOneWithTheSameId() {
		history().record(execution("a", "job", 1, ExecutionStatus.RUNNING, 0, null));
		assertThat(history().recent("job", 10)).extracting(JobExecution::status).containsExactly(ExecutionStatus.RUNNING);
		history().record(execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 10, null));
		assertThat(history().recent("job", 10)).extracting(JobExecution::status)
			.containsExactly(ExecutionStatus.SUCCEEDED);
		assertThat(history().stats("job").total()).isEqualTo(1);
	}

	@Test
	void recordingTheSameFinishedExecutionTwiceCountsItOnce() {
		JobExecution execution = execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 10, null);
		history().record(execution);
		history().record(execution);
		assertThat(history().recent("job", 10)).hasSize(1);
		assertThat(history().stats("job").succeeded()).isEqualTo(1);
	}

	@Test
	void theRealOutcomeReplacesAnAbandonedGuessAndStatsStayExact() {
		history().record(execution("a", "job", 1, ExecutionStatus.RUNNING, 0, null));
		history().record(execution("a", "job", 1, ExecutionStatus.ABANDONED, 500, "abandoned: lease expired"));
		assertThat(history().stats("job").failed()).isEqualTo(1);
		assertThat(history().stats("job").maxDuration()).isNull();
		history().record(execution("a", "job", 1, ExecutionStatus.INTERRUPTED, 700, "lock lost"));
		assertThat(history().recent("job", 10)).extracting(JobExecution::status)
			.containsExactly(ExecutionStatus.INTERRUPTED);
		JobStats stats = history().stats("job");
		assertThat(stats.total()).isEqualTo(1);
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.maxDuration()).isEqualTo(Duration.ofMillis(700));
		history().record(execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 900, null));
		assertThat(history().recent("job", 10)).extracting(JobExecution::status)
			.containsExactly(ExecutionStatus.INTERRUPTED);
	}

	@Test
	void historyIsCappedPerJobButStatsCountEverything() {
		IntStream.range(0, MAX_PER_JOB + 3)
			.forEach((i) -> history().record(execution("e" + i, "job", i, ExecutionStatus.SUCCEEDED, 10, null)));
		assertThat(history().recent("job", 100)).hasSize(MAX_PER_JOB)
			.first()
			.extracting(JobExecution::id)
			.isEqualTo("e" + (MAX_PER_JOB + 2));
		assertThat(history().stats("job").total()).isEqualTo(MAX_PER_JOB + 3);
	}

	@Test
	void statsSummariseOutcomesAndDurations() {
		history().record(execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 100, null));
		history().record(execution("b", "job", 2, ExecutionStatus.SUCCEEDED, 300, null));
		history().record(execution("c", "job", 3, ExecutionStatus.FAILED, 200, "boom"));
		history().record(execution("d", "job", 4, ExecutionStatus.SKIPPED, 0, "paused"));
		history().record(execution("e", "job", 5, ExecutionStatus.RUNNING, 0, null));
		JobStats stats = history().stats("job");
		assertThat(stats.total()).isEqualTo(4);
		assertThat(stats.succeeded()).isEqualTo(2);
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.skipped()).isEqualTo(1);
		assertThat(stats.lastSuccess()).isEqualTo(T.plusSeconds(2).plusMillis(300));
		assertThat(stats.lastFailure()).isEqualTo(T.plusSeconds(3).plusMillis(200));
		assertThat(stats.lastError()).isEqualTo("boom");
		assertThat(stats.minDuration()).isEqualTo(Duration.ofMillis(100));
		assertThat(stats.avgDuration()).isEqualTo(Duration.ofMillis(200));
		assertThat(stats.maxDuration()).isEqualTo(Duration.ofMillis(300));
		assertThat(history().stats("nobody")).isEqualTo(JobStats.EMPTY);
	}

}
