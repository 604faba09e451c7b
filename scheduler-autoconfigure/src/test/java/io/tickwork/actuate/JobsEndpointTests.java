package io.tickwork.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobStats;
import io.tickwork.SkipReason;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JobsEndpoint} without HTTP, as JMX uses it.
 */
class JobsEndpointTests {

	private static final JobHistory UNREACHABLE = new JobHistory() {

		@Override
		public void record(JobExecution execution) {
			throw new IllegalStateException("store down");
		}

		@Override
		public List<JobExecution> recent(String job, int limit) {
			throw new IllegalStateException("store down");
		}

		@Override
		public JobStats stats(String job) {
			throw new IllegalStateException("store down");
		}

	};

	private TickworkEngine engine;

	private JobsEndpoint endpoint(JobHistory history) {
		InMemoryJobStateStore state = new InMemoryJobStateStore();
		TickworkEngine engine = TickworkEngine.builder()
			.executor(Runnable::run)
			.state(state)
			.lock(new InMemoryJobLock(state, Clock.systemUTC()))
			.history(history)
			.ticker(false)
			.build();
		engine.register(JobDefinition.builder("job", Schedule.every(Duration.ofMinutes(1)), (ctx) -> {
		}).build());
		engine.start();
		this.engine = engine;
		return new JobsEndpoint(engine);
	}

	@Test
	void listsJobsEvenWhenTheStoreCannotBeReached() {
		JobsEndpoint endpoint = endpoint(UNREACHABLE);
		JobsEndpoint.JobDescriptor job = endpoint.jobs().jobs().get(0);
		assertThat(job.name()).isEqualTo("job");
		assertThat(job.stats()).isNull();
		assertThat(job.nextFireTimes()).hasSize(3);
		assertThat(endpoint.job("job").history()).isNull();
	}

	@Test
	void unknownJobsAreNullAndBadActionsAreRefused() {
		JobsEndpoint endpoint = endpoint(JobHistory.NONE);
		assertThat(endpoint.job("nope")).isNull();
		assertThat(endpoint.act("nope", "pause")).isNull();
		assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> endpoint.act("job", "explode"))
			.withMessage("Unknown action 'explode'; allowed actions are pause, resume and run");
		assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> endpoint.act("job", null))
			.withMessage("Missing action; allowed actions are pause, resume and run");
		assertThat(endpoint.act("job", " PAUSE ").paused()).isTrue();
		assertThat(endpoint.act("job", "run").executionId()).hasSize(26);
	}

	@Test
	void showsAsManyExecutionsAsAskedNewestFirstAndRefusesALimitOutOfRange() {
		JobsEndpoint endpoint = endpoint(new InMemoryJobHistory(Clock.systemUTC(), 100, Duration.ofDays(1)));
		for (int i = 0; i < 25; i++) {
			assertThat(this.engine.trigger("job").join().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		}
		List<JobsEndpoint.ExecutionDescriptor> all = endpoint.job("job", 100).history();
		assertThat(all).hasSize(25);
		assertThat(endpoint.job("job").history()).hasSize(20).isEqualTo(all.subList(0, 20));
		assertThat(endpoint.job("job", null).history()).hasSize(20);
		assertThat(endpoint.job("job", 3).history()).isEqualTo(all.subList(0, 3));
		assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> endpoint.job("job", 0))
			.withMessage("Parameter 'limit' must be a whole number between 1 and 1000, was '0'");
		assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> endpoint.job("job", 1001))
			.withMessage("Parameter 'limit' must be a whole number between 1 and 1000, was '1001'");
	}

	@Test
	void aSkipsRecordReadsApartIntoReasonAndDetail() {
		Instant at = Instant.parse("2026-12-03T09:00:00Z");
		JobExecution locked = new JobExecution("e1", "job", at, at, at, ExecutionStatus.SKIPPED, 0,
				"locked: held by worker-2", "a", 0, JobExecution.Trigger.SCHEDULE);
		assertThat(locked.skipReason()).isEqualTo(SkipReason.LOCKED);
		assertThat(locked.skipDetail()).isEqualTo("held by worker-2");
		JobsEndpoint.ExecutionDescriptor shown = JobsEndpoint.ExecutionDescriptor.of(locked);
		assertThat(shown.skipReason()).isEqualTo("locked");
		assertThat(shown.skipDetail()).isEqualTo("held by worker-2");
		assertThat(shown.error()).isNull();
		JobExecution failed = new JobExecution("e2", "job", at, at, at, ExecutionStatus.FAILED, 1,
				"locked: not a skip", "a", 1, JobExecution.Trigger.SCHEDULE);
		assertThat(failed.skipReason()).isNull();
		assertThat(failed.skipDetail()).isNull();
		assertThat(JobsEndpoint.ExecutionDescriptor.of(failed).error()).isEqualTo("locked: not a skip");
	}

}
