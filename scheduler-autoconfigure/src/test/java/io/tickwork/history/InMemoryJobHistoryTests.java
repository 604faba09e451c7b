package io.tickwork.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
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

	@Test
	void recordsAgreeWithAModelOfTheRingThroughReplacementsAndEvictions() {
		agreesWithAModelOfTheRing(new String[] { "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8" });
	}

	@Test
	void recordsOfEngineIdsInAnyOrderAgreeWithAModelOfTheRing() {
		// ids of the engine's form, which the history packs, drawn in random order so that
		// many are recorded after greater ones; the greatest and least possible among them,
		// and one id that is not of that form
		String[] ids = { "01JDA" + "0".repeat(21), "01JDB" + "0".repeat(21), "01JDC" + "0".repeat(21),
				"01JDD" + "0".repeat(21), "7" + "Z".repeat(25), "0".repeat(26), "01JDE" + "0".repeat(21),
				"01JDF" + "0".repeat(21), "not-an-engine-id" };
		agreesWithAModelOfTheRing(ids);
	}

	private void agreesWithAModelOfTheRing(String[] ids) {
		ExecutionStatus[] statuses = { ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
				ExecutionStatus.ABANDONED };
		Random random = new Random(7);
		// the newest last; each entry an id and a status
		List<String[]> model = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			String id = ids[random.nextInt(ids.length)];
			ExecutionStatus status = statuses[random.nextInt(statuses.length)];
			this.history.record(execution(id, "job", 0, status, 10, null));
			String[] existing = model.stream().filter((entry) -> entry[0].equals(id)).findFirst().orElse(null);
			if (existing == null) {
				model.add(new String[] { id, status.name() });
				if (model.size() > MAX_PER_JOB) {
					model.remove(0);
				}
			}
			else {
				ExecutionStatus previous = ExecutionStatus.valueOf(existing[1]);
				boolean replacesGuess = previous == ExecutionStatus.ABANDONED && status.isFinished()
						&& status != ExecutionStatus.ABANDONED;
				if (!previous.isFinished() || replacesGuess) {
					existing[1] = status.name();
				}
			}
			List<String> expected = new ArrayList<>();
			for (int j = model.size() - 1; j >= 0; j--) {
				expected.add(model.get(j)[0] + " " + model.get(j)[1]);
			}
			assertThat(this.history.recent("job", 10)).as("after record %d", i)
				.extracting((JobExecution execution) -> execution.id() + " " + execution.status())
				.containsExactlyElementsOf(expected);
		}
	}

}
