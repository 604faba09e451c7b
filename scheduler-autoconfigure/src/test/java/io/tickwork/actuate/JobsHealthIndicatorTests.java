package io.tickwork.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.RetryPolicy;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobsHealthIndicator}.
 */
class JobsHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

	private final InMemoryJobHistory history = new InMemoryJobHistory(Clock.fixed(NOW, ZoneOffset.UTC), 100,
			Duration.ofDays(1));

	private final TickworkEngine engine = engine();

	private TickworkEngine engine() {
		InMemoryJobStateStore state = new InMemoryJobStateStore();
		TickworkEngine engine = TickworkEngine.builder()
			.executor(Runnable::run)
			.state(state)
			.lock(new InMemoryJobLock(state, Clock.systemUTC()))
			.history(this.history)
			.ticker(false)
			.build();
		engine.register(JobDefinition.builder("flaky", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> {
		}).build());
		engine.register(JobDefinition.builder("stuck", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> {
		}).timeout(Duration.ofSeconds(10)).retry(RetryPolicy.NONE).build());
		return engine;
	}

	private void record(String id, String job, int secondsAgo, ExecutionStatus status) {
		Instant start = NOW.minusSeconds(secondsAgo);
		this.history.record(new JobExecution(id, job, start, start, status.isFinished() ? start.plusSeconds(1) : null,
				status, 1, status == ExecutionStatus.FAILED ? "boom" : null, "node", 1, JobExecution.Trigger.SCHEDULE));
	}

	private Health health(int threshold) {
		return new JobsHealthIndicator(this.engine, threshold, Clock.fixed(NOW, ZoneOffset.UTC)).health(true);
	}

	@Test
	void upWhileFailuresStayBelowTheThreshold() {
		record("1", "flaky", 50, ExecutionStatus.FAILED);
		record("2", "flaky", 40, ExecutionStatus.SUCCEEDED);
		record("3", "flaky", 30, ExecutionStatus.FAILED);
		record("4", "flaky", 20, ExecutionStatus.FAILED);
		Health health = health(3);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("jobs", 2);
	}

	@Test
	void downWhenTheLastExecutionsAllFailedSkipsAside() {
		record("1", "flaky", 50, ExecutionStatus.FAILED);
		record("2", "flaky", 40, ExecutionStatus.SKIPPED);
		record("3", "flaky", 30, ExecutionStatus.TIMED_OUT);
		record("4", "flaky", 20, ExecutionStatus.FAILED);
		Health health = health(3);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(((Map<?, ?>) health.getDetails().get("unhealthy")).keySet().toString()).isEqualTo("[flaky]");
		assertThat(((Map<?, ?>) health.getDetails().get("unhealthy")).get("flaky").toString())
			.startsWith("last 3 execution(s) failed; latest: FAILED boom");
	}

	@Test
	void downWhenAnExecutionRunsPastItsTimeout() {
		record("1", "stuck", 5, ExecutionStatus.RUNNING);
		assertThat(health(3).getStatus()).isEqualTo(Status.UP);
		record("2", "stuck", 60, ExecutionStatus.RUNNING);
		Health health = health(3);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(((Map<?, ?>) health.getDetails().get("unhealthy")).get("stuck").toString())
			.contains("execution 2 on node has run for 60s, past its timeout of 10s");
	}

}
