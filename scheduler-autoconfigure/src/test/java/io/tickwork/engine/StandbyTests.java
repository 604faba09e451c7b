package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.ClaimOutcome;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.schedule.Schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * An instance whose claim of a fire another instance won stands by: it asks for the
 * job's fires the standby delay late, so that one answer passes every fire claimed
 * meanwhile, and runs a fire itself only when no instance claimed it by then.
 */
class StandbyTests {

	private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

	private static final Duration STEP = Duration.ofMillis(50);

	private static final Duration DELAY = Duration.ofMillis(200);

	private final SharedStore store = new SharedStore(START);

	@AfterEach
	void stop() {
		this.store.close();
	}

	/** A job every 50 ms. */
	private static JobDefinition fast() {
		return JobDefinition.builder("fast", Schedule.every(STEP, Duration.ZERO), (context) -> {
		}).build();
	}

	private TickworkEngine instance(String id, Duration standbyDelay, List<String> claims) {
		// the delay does not grow
		return instance(id, standbyDelay, Duration.ZERO, claims);
	}

	private TickworkEngine instance(String id, Duration standbyDelay, Duration maxDelay, List<String> claims) {
		JobListener listener = new JobListener() {
			@Override
			public void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
				claims.add(outcome.tag() + " " + Duration.between(START, scheduledTime).toMillis());
			}
		};
		return this.store.instance(id,
				(builder) -> builder.standbyDelay(standbyDelay).standbyMaxDelay(maxDelay).listener(listener), fast());
	}

	/**
	 * Moves the clock one step and ticks each instance in turn until it is quiet and has
	 * handed out the fires due (as the ticker thread ticks again at once when a fire is
	 * due), or ten times.
	 */
	private void step(TickworkEngine... instances) {
		this.store.clock.advance(STEP);
		for (TickworkEngine instance : instances) {
			for (int ticks = 0; ticks < 10; ticks++) {
				instance.tick();
				await().atMost(Duration.ofSeconds(10))
					.pollDelay(Duration.ZERO)
					.pollInterval(Duration.ofMillis(1))
					.until(instance::isQuiet);
				Instant next = instance.job("fast").nextFireTime();
				if (next == null || next.isAfter(this.store.clock.instant())) {
					break;
				}
			}
		}
	}

	/** The finished executions of the first fires, by fire (ms after the start). */
	private Map<Long, List<JobExecution>> awaitRun(int fires) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.store.history.recent("fast", 1000)
				.stream()
				.filter((e) -> e.status() == ExecutionStatus.SUCCEEDED)
				.count(), (n) -> n >= fires);
		return this.store.history.recent("fast", 1000)
			.stream()
			.collect(Collectors.groupingBy((e) -> Duration.between(START, e.scheduledTime()).toMillis()));
	}

	@Test
	void anInstanceThatLostAFireAsksForTheJobsFiresOncePerStandbyDelay() {
		List<String> claimsOfA = new CopyOnWriteArrayList<>();
		List<String> claimsOfB = new CopyOnWriteArrayList<>();
		TickworkEngine a = instance("a", DELAY, claimsOfA);
		TickworkEngine b = instance("b", DELAY, claimsOfB);
		a.start();
		b.start();
		for (int i = 0; i < 40; i++) {
			step(a, b);
		}
		Map<Long, List<JobExecution>> runs = awaitRun(40);
		for (long fire = 50; fire <= 2000; fire += 50) {
			assertThat(runs.get(fire)).as("fire at %d ms", fire).singleElement().satisfies((execution) -> {
				assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
				assertThat(execution.instanceId()).isEqualTo("a");
			});
		}
		assertThat(claimsOfA).hasSize(40).allMatch((claim) -> claim.startsWith("acquired"));
		// 40 on time without the delay (see below); with it, about one per 200 ms once on standby
		assertThat(claimsOfB).allMatch((claim) -> claim.startsWith("already-claimed")).hasSizeBetween(5, 14);
	}

	@Test
	void whileTheAnswersSaySoTheDelayDoublesUpToTheLongest() {
		List<String> claimsOfB = new CopyOnWriteArrayList<>();
		TickworkEngine a = instance("a", DELAY, new CopyOnWriteArrayList<>());
		TickworkEngine b = instance("b", DELAY, Duration.ofMillis(800), claimsOfB);
		a.start();
		b.start();
		for (int i = 0; i < 80; i++) {
			step(a, b);
		}
		awaitRun(80);
		// 80 on time without a delay, about 16 with one that does not grow; here 200, 400,
		// then 800 ms apart
		assertThat(claimsOfB).allMatch((claim) -> claim.startsWith("already-claimed")).hasSizeBetween(5, 10);
		List<Long> asked = claimsOfB.stream().map((claim) -> Long.parseLong(claim.split(" ")[1])).toList();
		for (int i = asked.size() - 3; i < asked.size(); i++) {
			assertThat(asked.get(i) - asked.get(i - 1)).as("fires asked for %s", asked).isGreaterThanOrEqualTo(800);
		}
	}

	@Test
	void aStandbyWhoseDelayGrewTakesOverAtMostTwiceTheLongestDelayLate() {
		Map<Long, JobExecution> runs = takeOver(Duration.ofMillis(800), 40, 40, Duration.ofMillis(1600), 3700);
		assertThat(runs.get(2000L).instanceId()).isEqualTo("a");
		assertThat(runs.get(2050L).instanceId()).isEqualTo("b");
	}

	@Test
	void withoutAStandbyDelayEveryFireIsAskedForOnTime() {
		List<String> claimsOfB = new CopyOnWriteArrayList<>();
		TickworkEngine a = instance("a", DELAY, new CopyOnWriteArrayList<>());
		TickworkEngine b = instance("b", Duration.ZERO, claimsOfB);
		a.start();
		b.start();
		for (int i = 0; i < 20; i++) {
			step(a, b);
		}
		assertThat(claimsOfB).hasSize(20).allMatch((claim) -> claim.startsWith("already-claimed"));
	}

	@Test
	void aStandbyRunsTheFiresNoInstanceClaimedAtMostTwiceTheDelayLateThenClaimsOnTime() {
		Map<Long, JobExecution> runs = takeOver(Duration.ZERO, 10, 20, DELAY.multipliedBy(2), 850);
		for (long fire = 50; fire <= 1500; fire += 50) {
			assertThat(runs.get(fire).instanceId()).as("fire at %d ms", fire).isEqualTo((fire <= 500) ? "a" : "b");
		}
		// the last refusal, at 600 ms (of the fire at 400, claimed up to 500), had the standby
		// wait until 800 ms: the delay after it
		assertThat(runs.get(550L).startedAt()).isEqualTo(START.plusMillis(800));
	}

	/**
	 * Runs a and b, b on standby with the given longest delay, for some steps; stops a and
	 * runs b alone for more. Checks that every fire ran once, at most the given lateness
	 * late, and on time again from a fire on.
	 * @return each fire's execution, by fire (ms after the start)
	 */
	private Map<Long, JobExecution> takeOver(Duration maxDelay, int together, int alone, Duration maxLateness,
			long onTimeFrom) {
		TickworkEngine a = instance("a", DELAY, new CopyOnWriteArrayList<>());
		TickworkEngine b = instance("b", DELAY, maxDelay, new CopyOnWriteArrayList<>());
		a.start();
		b.start();
		for (int i = 0; i < together; i++) {
			step(a, b);
		}
		// the instance that ran the job stops: the one on standby takes its fires over
		a.stop();
		for (int i = 0; i < alone; i++) {
			step(b);
		}
		Map<Long, List<JobExecution>> runs = awaitRun(together + alone);
		Map<Long, JobExecution> once = new HashMap<>();
		for (long fire = 50; fire <= (together + alone) * 50L; fire += 50) {
			assertThat(runs.get(fire)).as("fire at %d ms", fire).singleElement();
			JobExecution execution = runs.get(fire).get(0);
			Duration lateness = Duration.between(execution.scheduledTime(), execution.startedAt());
			assertThat(lateness).as("lateness of the fire at %d ms", fire).isLessThanOrEqualTo(maxLateness);
			if (fire >= onTimeFrom) {
				// claimed on time again
				assertThat(lateness).as("lateness of the fire at %d ms", fire).isZero();
			}
			once.put(fire, execution);
		}
		return once;
	}

	@Test
	void aNegativeStandbyDelayIsRefusedByName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.instance("a", (builder) -> builder.standbyDelay(Duration.ofMillis(-1))))
			.withMessage("standbyDelay must be zero or positive, was PT-0.001S");
	}

	@Test
	void theDelayIsAtMostHalfTheMisfireThresholdSoThatAStandbysFireIsNoMisfire() {
		Function<String, TickworkEngine> instance = (id) -> this.store.instance(id,
				(builder) -> builder.standbyDelay(Duration.ofSeconds(10)).misfireThreshold(Duration.ofMillis(300)),
				fast());
		TickworkEngine a = instance.apply("a");
		TickworkEngine b = instance.apply("b");
		a.start();
		b.start();
		for (int i = 0; i < 4; i++) {
			step(a, b);
		}
		a.stop();
		for (int i = 0; i < 8; i++) {
			step(b);
		}
		// the delay is 150 ms: the fire at 250 ms is asked for that long after the last
		// refusal, at 300 ms, 200 ms late (at most twice the delay), and run
		Map<Long, List<JobExecution>> runs = awaitRun(12);
		assertThat(runs.get(250L)).singleElement().satisfies((execution) -> {
			assertThat(execution.instanceId()).isEqualTo("b");
			assertThat(execution.startedAt()).isEqualTo(START.plusMillis(450));
		});
	}

}
