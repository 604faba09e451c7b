package io.tickwork.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tickwork.ClaimOutcome;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobListener;
import io.tickwork.test.RecordingJobListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompositeJobListener}.
 */
class CompositeJobListenerTests {

	private static final Instant FIRE = Instant.parse("2026-01-05T10:00:00Z");

	private final JobListener throwing = new JobListener() {
		@Override
		public void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
			throw new IllegalStateException("claim");
		}

		@Override
		public void onStarted(JobExecution execution) {
			throw new IllegalStateException("started");
		}

		@Override
		public void onSucceeded(JobExecution execution) {
			throw new IllegalStateException("succeeded");
		}

		@Override
		public void onFailed(JobExecution execution, Throwable error) {
			throw new IllegalStateException("failed");
		}
	};

	@Test
	void aListenerThatThrowsDoesNotKeepTheNextFromItsEvent() {
		RecordingJobListener recording = new RecordingJobListener();
		List<ClaimOutcome> claims = new ArrayList<>();
		JobListener claimed = new JobListener() {
			@Override
			public void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
				claims.add(outcome);
			}
		};
		CompositeJobListener composite = new CompositeJobListener(List.of(this.throwing, recording, claimed));
		JobExecution execution = new JobExecution("e1", "job", FIRE, FIRE, FIRE.plusSeconds(1),
				ExecutionStatus.SUCCEEDED, 1, null, "local", 1, Trigger.SCHEDULE);
		composite.onClaim("job", FIRE, ClaimOutcome.ACQUIRED);
		composite.onStarted(execution);
		composite.onSucceeded(execution);
		composite.onFailed(execution, new IllegalStateException("boom"));
		assertThat(claims).containsExactly(ClaimOutcome.ACQUIRED);
		assertThat(recording.events()).containsExactly("started job", "succeeded job", "failed job: boom");
	}

}
