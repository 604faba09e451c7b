package io.tickwork.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.Backoff;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobTask;
import io.tickwork.RetryPolicy;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link io.tickwork.JobContext#put(String, Object)}: what a job keeps with its
 * execution.
 */
class ExecutionMetadataTests {

	private TickworkEngine engine;

	private final ExecutorService executor = Executors.newFixedThreadPool(2);

	@AfterEach
	void stop() {
		this.engine.stop();
		this.executor.shutdownNow();
	}

	private JobExecution run(JobDefinition.Builder job) throws Exception {
		InMemoryJobStateStore state = new InMemoryJobStateStore();
		this.engine = TickworkEngine.builder()
			.executor(this.executor)
			.state(state)
			.lock(new InMemoryJobLock(state, Clock.systemUTC()))
			.history(new InMemoryJobHistory(Clock.systemUTC(), 100, Duration.ofDays(1)))
			.build();
		this.engine.register(job.build());
		this.engine.start();
		JobExecution execution = this.engine.trigger("job").get(10, TimeUnit.SECONDS);
		assertThat(this.engine.history("job", 1)).containsExactly(execution);
		return execution;
	}

	private static JobDefinition.Builder job(JobTask task) {
		return JobDefinition.builder("job", Schedule.every(Duration.ofHours(1)), task);
	}

	@Test
	void whatAJobPutsIsKeptWithItsExecutionInOrder() throws Exception {
		JobExecution execution = run(job((context) -> {
			context.put("rows", 42);
			context.put("source", "crm");
			context.put("rows", 43);
		}));
		assertThat(execution.metadata()).containsExactly(java.util.Map.entry("rows", "43"),
				java.util.Map.entry("source", "crm"));
	}

	@Test
	void metadataOfAFailedAttemptStaysAcrossRetriesAndWithAFailure() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		JobExecution execution = run(job((context) -> {
			context.put("attempt-" + context.attempt(), "tried");
			if (attempts.incrementAndGet() < 3) {
				throw new IllegalStateException("not yet");
			}
		}).retry(new RetryPolicy(3, Backoff.FIXED, Duration.ZERO, 1, Duration.ZERO, 0)));
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(execution.metadata()).containsOnlyKeys("attempt-1", "attempt-2", "attempt-3");
	}

	@Test
	void metadataIsBounded() throws Exception {
		JobExecution execution = run(job((context) -> {
			context.put("long", "x".repeat(5000));
			for (int i = 1; i < JobExecution.METADATA_MAX_KEYS; i++) {
				context.put("k" + i, i);
			}
			context.put("k1", "replacing is fine");
			context.put("one-too-many", "refused");
		}));
		assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
		assertThat(execution.errorMessage()).contains("already keeps 16 metadata keys; cannot add 'one-too-many'");
		assertThat(execution.metadata()).hasSize(JobExecution.METADATA_MAX_KEYS);
		assertThat(execution.metadata().get("long")).hasSize(JobExecution.METADATA_MAX_VALUE_LENGTH);
		assertThat(execution.metadata().get("k1")).isEqualTo("replacing is fine");
	}

}
