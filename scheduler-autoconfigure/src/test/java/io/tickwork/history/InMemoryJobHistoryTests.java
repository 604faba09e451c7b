package io.tickwork.history;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link JobHistory} contract against {@link InMemoryJobHistory}.
 */
class InMemoryJobHistoryTests extends JobHistoryContractTests {

	private final MutableClock clock = new MutableClock(T);

	private final InMemoryJobHistory history = new InMemoryJobHistory(this.clock, MAX_PER_JOB, Duration.ofHours(1));

	@Override
	protected JobHistory history() {
		return this.history;
	}

	@Test
	void executionsOlderThanTheTimeToLiveAreNotReturned() {
		this.history.record(execution("a", "job", 0, ExecutionStatus.SUCCEEDED, 10, null));
		this.clock.advance(Duration.ofMinutes(61));
		this.history.record(execution("b", "job", 3600, ExecutionStatus.SUCCEEDED, 10, null));
		assertThat(this.history.recent("job", 10)).extracting(io.tickwork.JobExecution::id).containsExactly("b");
	}

}
