package io.tickwork.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.Backoff;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobInfo;
import io.tickwork.JobStats;
import io.tickwork.JobTask;
import io.tickwork.Misfire;
import io.tickwork.NoSuchJobException;
import io.tickwork.Overlap;
import io.tickwork.RetryPolicy;
import io.tickwork.SkipReason;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.state.JobStateStore;
import io.tickwork.test.MutableClock;
import io.tickwork.test.RecordingJobListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TickworkEngine}, driven by a controllable clock and
 * {@link TickworkEngine#tick()}.
 */
class TickworkEngineTests {

	private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final InMemoryJobStateStore state = new InMemoryJobStateStore();

	private final InMemoryJobHistory history = new InMemoryJobHistory(this.clock, 1000, Duration.ofDays(7));

	private final RecordingJobListener listener = new RecordingJobListener();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private TickworkEngine engine = engine((builder) -> {
	});

	@AfterEach
	void stop() {
		this.engine.stop();
		this.executor.shutdownNow();
	}

	private TickworkEngine engine(Consumer<TickworkEngineBuilder> customizer) {
		TickworkEngineBuilder builder = TickworkEngine.builder()
			.clock(this.clock)
			.executor(this.executor)
			.lock(new InMemoryJobLock(this.state, this.clock))
			.history(this.history)
			.state(this.state)
			.listener(this.listener)
			.instanceId("test")
			.ticker(false)
			.shutdownTimeout(Duration.ofSeconds(5))
			// fires asked for on time after another instance claimed one: StandbyTests covers the delay
			.standbyDelay(Duration.ZERO);
		customizer.accept(builder);
		return builder.build();
	}

	private static JobDefinition.Builder job(String name, Schedule schedule, JobTask task) {
		return JobDefinition.builder(name, schedule, task);
	}

	private void advance(Duration duration) {
		this.clock.advance(duration);
		this.engine.tick();
	}

	private List<JobExecution> awaitFinished(String job, int count) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.history.recent(job, 1000).stream().filter((e) -> e.status().isFinished()).count(),
					(n) -> n >= count);
		return this.history.recent(job, 1000);
	}

	@Test
	void intervalJobFiresAtEachAlignedTimeAndRecordsItsExecutions() {
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("ping", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> runs.incrementAndGet()).build());
		this.engine.start();
		assertThat(this.engine.job("ping").nextFireTime()).isEqualTo(START.plusSeconds(10));
		advance(Duration.ofSeconds(9));
		assertThat(runs).hasValue(0);
		advance(Duration.ofSeconds(1));
		awaitFinished("ping", 1);
		advance(Duration.ofSeconds(10));
		List<JobExecution> executions = awaitFinished("ping", 2);
		assertThat(runs).hasValue(2);
		assertThat(executions).extracting(JobExecution::scheduledTime)
			.containsExactly(START.plusSeconds(20), START.plusSeconds(10));
		assertThat(executions).allSatisfy((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(execution.attempts()).isEqualTo(1);
			assertThat(execution.instanceId()).isEqualTo("test");
			assertThat(execution.trigger()).isEqualTo(Trigger.SCHEDULE);
			assertThat(execution.lateness()).isZero();
		});
		assertThat(executions.get(0).fencingToken()).isGreaterThan(executions.get(1).fencingToken());
		assertThat(this.listener.events()).containsExactly("started ping", "succeeded ping", "started ping",
				"succeeded ping");
	}

	@Test
	void lateFireRecordsItsLateness() {
		this.engine.register(job("late", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
		}).build());
		this.engine.start();
		advance(Duration.ofMillis(10_250));
		assertThat(awaitFinished("late", 1).get(0).lateness()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void jobContextCarriesTheFireAndTheFencingToken() {
		List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.engine.register(job("ctx", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> seen.add(ctx.jobName() + " "
				+ ctx.scheduledTime() + " " + ctx.attempt() + " " + ctx.fencingToken() + " " + ctx.isCancelled() + " "
				+ ctx.deadline().isPresent() + " " + ctx.trigger() + " " + ctx.executionId().length()))
			.build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		awaitFinished("ctx", 1);
		assertThat(seen).containsExactly("ctx " + START.plusSeconds(10) + " 1 1 false false SCHEDULE 26");
	}

	@Test
	void overlapSkipRecordsTheFireThatCameWhileTheJobRan() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.engine.register(job("slow", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> release.await()).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		await().until(() -> this.engine.job("slow").running());
		advance(Duration.ofSeconds(10));
		List<JobExecution> skipped = awaitFinished("slow", 1);
		assertThat(skipped.get(0).status()).isEqualTo(ExecutionStatus.SKIPPED);
		assertThat(skipped.get(0).errorMessage()).isEqualTo("overlap");
		assertThat(skipped.get(0).scheduledTime()).isEqualTo(START.plusSeconds(20));
		release.countDown();
		awaitFinished("slow", 2);
		assertThat(this.listener.events()).contains("skipped slow overlap", "succeeded slow");
	}

	@Test
	void overlapWaitRunsOneFireRightAfterTheRunningOneAndSkipsTheRest() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("waiting", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			if (runs.incrementAndGet() == 1) {
				release.await();
			}
		}).overlap(Overlap.WAIT).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		await().until(() -> this.engine.job("waiting").running());
		advance(Duration.ofSeconds(10));
		advance(Duration.ofSeconds(10));
		awaitFinished("waiting", 1);
		assertThat(runs).hasValue(1);
		release.countDown();
		List<JobExecution> executions = awaitFinished("waiting", 3);
		assertThat(runs).hasValue(2);
		assertThat(executions).extracting(JobExecution::status)
			.containsExactlyInAnyOrder(ExecutionStatus.SUCCEEDED, ExecutionStatus.SUCCEEDED, ExecutionStatus.SKIPPED);
		assertThat(executions).extracting(JobExecution::scheduledTime)
			.containsExactlyInAnyOrder(START.plusSeconds(10), START.plusSeconds(20), START.plusSeconds(30));
	}

	@Test
	void overlapAllowRunsFiresInParallel() throws Exception {
		CountDownLatch bothRunning = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		this.engine.register(job("parallel", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			bothRunning.countDown();
			release.await();
		}).overlap(Overlap.ALLOW).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		advance(Duration.ofSeconds(10));
		assertThat(bothRunning.await(5, TimeUnit.SECONDS)).isTrue();
		release.countDown();
		assertThat(awaitFinished("parallel", 2)).allMatch((e) -> e.status() == ExecutionStatus.SUCCEEDED);
	}

	@Test
	void timeoutInterruptsTheJobAndRecordsTimedOut() {
		this.engine.register(job("stuck", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> Thread.sleep(60_000))
			.timeout(Duration.ofSeconds(5))
			.build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		await().until(() -> this.engine.job("stuck").running());
		advance(Duration.ofSeconds(4));
		assertThat(this.engine.job("stuck").running()).isTrue();
		advance(Duration.ofSeconds(1));
		JobExecution execution = awaitFinished("stuck", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
		assertThat(execution.errorMessage()).isEqualTo("timed out after 5s");
		assertThat(this.listener.events()).contains("timed out stuck");
	}

	@Test
	void jobThatPollsSeesCancellationAtItsDeadline() {
		AtomicInteger polls = new AtomicInteger();
		this.engine.register(job("polling", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			assertThat(ctx.deadline()).contains(START.plusSeconds(13));
			while (!ctx.isCancelled()) {
				polls.incrementAndGet();
				Thread.onSpinWait();
			}
		}).timeout(Duration.ofSeconds(3)).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		await().until(() -> polls.get() > 0);
		advance(Duration.ofSeconds(3));
		assertThat(awaitFinished("polling", 1).get(0).status()).isEqualTo(ExecutionStatus.TIMED_OUT);
	}

	@Test
	void failedAttemptsAreRetriedWithBackoffInsideTheSameFire() {
		AtomicInteger attempts = new AtomicInteger();
		this.engine.register(job("flaky", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> {
			assertThat(ctx.attempt()).isEqualTo(attempts.incrementAndGet());
			if (ctx.attempt() < 3) {
				throw new IllegalStateException("boom " + ctx.attempt());
			}
		}).retry(new RetryPolicy(5, Backoff.EXPONENTIAL, Duration.ofSeconds(2), 3.0, Duration.ofMinutes(1), 0.0))
			.build());
		this.engine.start();
		advance(Duration.ofMinutes(1));
		await().until(attempts::get, (n) -> n == 1);
		await().until(() -> this.listener.events().size() == 2);
		advance(Duration.ofMillis(1999));
		assertThat(attempts).hasValue(1);
		advance(Duration.ofMillis(1));
		await().until(attempts::get, (n) -> n == 2);
		await().until(() -> this.listener.events().size() == 3);
		advance(Duration.ofSeconds(6));
		JobExecution execution = awaitFinished("flaky", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(execution.attempts()).isEqualTo(3);
		assertThat(execution.scheduledTime()).isEqualTo(START.plusSeconds(60));
		assertThat(this.listener.events()).containsExactly("started flaky", "retrying flaky after attempt 1 in PT2S",
				"retrying flaky after attempt 2 in PT6S", "succeeded flaky");
	}

	@Test
	void aRenewalThatGetsNoAnswerHoldsUpNoOtherRenewal() throws Exception {
		Map<String, AtomicInteger> renewals = new ConcurrentHashMap<>();
		this.engine = engine((builder) -> builder.lockTtl(Duration.ofSeconds(30))
			.lock(new InMemoryJobLock(this.state, this.clock) {
				@Override
				public CompletionStage<Boolean> extendAsync(Lease lease, Duration ttl) {
					renewals.computeIfAbsent(lease.job(), (job) -> new AtomicInteger()).incrementAndGet();
					// the store node of job 'stuck' never answers
					return lease.job().equals("stuck") ? new CompletableFuture<>() : super.extendAsync(lease, ttl);
				}
			}));
		CountDownLatch release = new CountDownLatch(1);
		for (String name : List.of("stuck", "fine")) {
			this.engine.register(job(name, Schedule.every(Duration.ofHours(1), Duration.ZERO), (ctx) -> release.await())
				.build());
		}
		this.engine.start();
		advance(Duration.ofHours(1));
		await().until(() -> this.listener.events().containsAll(List.of("started stuck", "started fine")));
		for (int i = 1; i <= 3; i++) {
			advance(Duration.ofSeconds(10));
			int expected = i;
			await().until(() -> renewals.getOrDefault("fine", new AtomicInteger()).get() == expected);
		}
		assertThat(renewals.get("stuck")).hasValue(1);
		release.countDown();
		awaitFinished("fine", 1);
	}

	@Test
	void aLockLostWhileARetryWaitsEndsTheExecutionAndCancelsTheRetry() {
		AtomicInteger attempts = new AtomicInteger();
		this.engine = engine((builder) -> builder.lockTtl(Duration.ofSeconds(30))
			.lock(new InMemoryJobLock(this.state, this.clock) {
				@Override
				public boolean extend(Lease lease, Duration ttl) {
					return false;
				}
			}));
		this.engine.register(job("flaky", Schedule.every(Duration.ofHours(1), Duration.ZERO), (ctx) -> {
			attempts.incrementAndGet();
			throw new IllegalStateException("boom");
		}).retry(new RetryPolicy(3, Backoff.FIXED, Duration.ofMinutes(1), 1.0, Duration.ofMinutes(1), 0.0)).build());
		this.engine.start();
		advance(Duration.ofHours(1));
		await().until(() -> this.listener.events().contains("retrying flaky after attempt 1 in PT1M"));
		// the first renewal, 10 s later, finds the lock gone while the retry waits
		advance(Duration.ofSeconds(10));
		JobExecution execution = awaitFinished("flaky", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
		assertThat(execution.attempts()).isEqualTo(1);
		assertThat(execution.errorMessage()).isEqualTo("lock lost: another holder took it or it expired");
		advance(Duration.ofMinutes(2));
		this.engine.stop();
		assertThat(attempts).hasValue(1);
		assertThat(this.history.recent("flaky", 10)).hasSize(1);
	}

	@Test
	void aListenerThatThrowsLeavesTheExecutionsBookkeepingIntact() {
		this.engine = engine((builder) -> builder.listener(new io.tickwork.JobListener() {
			@Override
			public void onSucceeded(JobExecution execution) {
				throw new IllegalStateException("listener broke");
			}
		}));
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("counted", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> {
			runs.incrementAndGet();
		}).overlap(Overlap.SKIP).build());
		this.engine.start();
		advance(Duration.ofMinutes(1));
		awaitFinished("counted", 1);
		// were the first execution still counted as running, SKIP would skip every later one
		await().until(() -> this.engine.trigger("counted").join().status() == ExecutionStatus.SUCCEEDED);
		assertThat(runs).hasValue(2);
		assertThat(this.history.recent("counted", 10)).extracting(JobExecution::status)
			.filteredOn((status) -> status == ExecutionStatus.SUCCEEDED)
			.hasSize(2);
	}

	@Test
	void exhaustedRetriesRecordTheLastError() {
		this.engine.register(job("broken", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> {
			throw new IllegalStateException("attempt " + ctx.attempt());
		}).retry(new RetryPolicy(2, Backoff.FIXED, Duration.ZERO, 1.0, Duration.ZERO, 0.0)).build());
		this.engine.start();
		advance(Duration.ofMinutes(1));
		await().until(() -> this.listener.events().contains("retrying broken after attempt 1 in PT0S"));
		this.engine.tick();
		JobExecution execution = awaitFinished("broken", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
		assertThat(execution.attempts()).isEqualTo(2);
		assertThat(execution.errorMessage()).isEqualTo("java.lang.IllegalStateException: attempt 2");
		JobStats stats = this.engine.stats("broken");
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.lastError()).isEqualTo("java.lang.IllegalStateException: attempt 2");
	}

	@Test
	void anErrorThrownByAJobStopsNeitherTheEngineNorOtherJobs() {
		AtomicInteger healthy = new AtomicInteger();
		this.engine.register(job("fatal", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			throw new StackOverflowError("deep");
		}).retry(RetryPolicy.NONE.withMaxAttempts(3)).build());
		this.engine.register(job("healthy", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> healthy.incrementAndGet())
			.build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		awaitFinished("fatal", 1);
		awaitFinished("healthy", 1);
		advance(Duration.ofSeconds(10));
		List<JobExecution> fatal = awaitFinished("fatal", 2);
		assertThat(fatal).allSatisfy((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
			assertThat(execution.attempts()).as("VirtualMachineErrors are not retried").isEqualTo(1);
		});
		awaitFinished("healthy", 2);
		assertThat(healthy).hasValue(2);
	}

	@Test
	void misfireRunOnceRunsOneExecutionForAllMissedFires() {
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("hourly", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> runs.incrementAndGet())
			.build());
		this.engine.start();
		advance(Duration.ofHours(1));
		List<JobExecution> records = awaitFinished("hourly", 2);
		assertThat(runs).hasValue(1);
		JobExecution execution = records.stream()
			.filter((e) -> e.status() == ExecutionStatus.SUCCEEDED)
			.findFirst()
			.orElseThrow();
		assertThat(execution.trigger()).isEqualTo(Trigger.MISFIRE);
		assertThat(execution.scheduledTime()).isEqualTo(START.plus(Duration.ofHours(1)));
		// the fires it did not run are recorded too, in one record that names them
		assertThat(records).filteredOn((e) -> e.status() == ExecutionStatus.SKIPPED)
			.singleElement()
			.satisfies((skipped) -> {
				assertThat(skipped.scheduledTime()).isEqualTo(START.plusSeconds(60));
				assertThat(skipped.errorMessage()).isEqualTo("misfire: 59 fire(s) missed from " + START.plusSeconds(60)
						+ " to " + START.plus(Duration.ofMinutes(59)) + "; RUN_ONCE runs the latest, at "
						+ START.plus(Duration.ofHours(1)));
			});
		assertThat(this.engine.stats("hourly").skipped()).isEqualTo(1);
		assertThat(this.engine.job("hourly").nextFireTime()).isEqualTo(START.plus(Duration.ofMinutes(61)));
		// the record claimed the fires it stands for: an instance that lagged passes them
		assertThat(this.state.answerFire("hourly", START.plus(Duration.ofMinutes(30))))
			.isEqualTo(new JobStateStore.FireAnswer(JobStateStore.FireClaim.CLAIMED, START.plus(Duration.ofMinutes(59))));
	}

	@Test
	void aSingleMissedFireUnderRunOnceIsRunWithoutARecordOfMissedOnes() {
		this.engine.register(job("two-minutes", Schedule.every(Duration.ofMinutes(2), Duration.ZERO), (ctx) -> {
		}).misfire(Misfire.RUN_ONCE).build());
		this.engine.start();
		advance(Duration.ofMinutes(3));
		List<JobExecution> records = awaitFinished("two-minutes", 1);
		assertThat(records).singleElement().satisfies((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(execution.trigger()).isEqualTo(Trigger.MISFIRE);
		});
	}

	/** Registers a job every minute that counts its runs, and starts the engine. */
	private AtomicInteger startCountingMinutely() {
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("minutely", Schedule.every(Duration.ofMinutes(1), Duration.ZERO),
				(ctx) -> runs.incrementAndGet())
			.build());
		this.engine.start();
		return runs;
	}

	@Test
	void aFireOlderThanOneAnotherInstanceClaimedIsRecordedSupersededAndNotRun() {
		AtomicInteger runs = startCountingMinutely();
		// another instance, ahead of this one, already claimed the fire after next
		this.state.claimFire("minutely", START.plusSeconds(120));
		advance(Duration.ofMinutes(1));
		JobExecution execution = awaitFinished("minutely", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SKIPPED);
		assertThat(execution.scheduledTime()).isEqualTo(START.plusSeconds(60));
		assertThat(execution.errorMessage()).isEqualTo("superseded: a later fire of the job was claimed; this record "
				+ "stands for every fire from this one to " + START.plusSeconds(120) + " that no instance claimed");
		assertThat(runs).hasValue(0);
		assertThat(this.listener.events()).contains("skipped minutely superseded");
		// the fires up to the one claimed are settled: passed without a claim or a record
		advance(Duration.ofMinutes(1));
		await().until(() -> START.plusSeconds(180).equals(this.engine.job("minutely").nextFireTime()));
		assertThat(this.history.recent("minutely", 10)).hasSize(1);
		assertThat(this.state.takeFire("minutely", START.plusSeconds(180))).isEqualTo(JobStateStore.FireClaim.TAKEN);
	}

	@Test
	void firesThatAnotherInstancesMisfireRecordStandsForArePassedWithoutARecord() {
		AtomicInteger runs = startCountingMinutely();
		// another instance, ahead of this one, missed the fires from 60 s to 180 s (RUN_ONCE):
		// its record stands for them, and it runs the one at 240 s
		this.state.answerMissed("minutely", START.plusSeconds(60), START.plusSeconds(60), START.plusSeconds(180));
		this.state.claimFire("minutely", START.plusSeconds(240));
		advance(Duration.ofMinutes(1));
		await().until(() -> START.plusSeconds(120).equals(this.engine.job("minutely").nextFireTime()));
		// this instance, behind, passes them unclaimed and unrecorded, then finds the next one claimed
		advance(Duration.ofMinutes(1));
		await().until(() -> START.plusSeconds(240).equals(this.engine.job("minutely").nextFireTime()));
		advance(Duration.ofMinutes(2));
		await().until(() -> START.plusSeconds(300).equals(this.engine.job("minutely").nextFireTime()));
		advance(Duration.ofMinutes(1));
		assertThat(awaitFinished("minutely", 1)).singleElement().satisfies((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(execution.scheduledTime()).isEqualTo(START.plusSeconds(300));
		});
		assertThat(runs).hasValue(1);
	}

	/** Starts a job every minute that counts its runs, on an engine that keeps the fires it claims. */
	private AtomicInteger startCountingMinutelyAndClaims(List<Instant> claimed) {
		io.tickwork.JobListener claims = new io.tickwork.JobListener() {
			@Override
			public void onClaim(String job, Instant scheduledTime, io.tickwork.ClaimOutcome outcome) {
				claimed.add(scheduledTime);
			}
		};
		this.engine = engine((builder) -> builder.listener(new CompositeJobListener(List.of(this.listener, claims))));
		return startCountingMinutely();
	}

	@Test
	void firesThatAnotherInstanceClaimedInARowArePassedAfterOneClaim() {
		List<Instant> claimed = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicInteger runs = startCountingMinutelyAndClaims(claimed);
		// another instance, ahead of this one, claimed the next fire and the two after it
		this.state.claimFire("minutely", START.plusSeconds(60));
		this.state.claimFire("minutely", START.plusSeconds(120));
		this.state.claimFire("minutely", START.plusSeconds(180));
		advance(Duration.ofMinutes(1));
		await().until(() -> START.plusSeconds(120).equals(this.engine.job("minutely").nextFireTime()));
		// the store told that the two fires after it are claimed, as the schedule has them: passed unasked
		advance(Duration.ofMinutes(1));
		await().until(() -> START.plusSeconds(240).equals(this.engine.job("minutely").nextFireTime()));
		advance(Duration.ofMinutes(2));
		assertThat(awaitFinished("minutely", 1).get(0).scheduledTime()).isEqualTo(START.plusSeconds(240));
		assertThat(runs).hasValue(1);
		assertThat(claimed).containsExactly(START.plusSeconds(60), START.plusSeconds(240));
	}

	@Test
	void firesAfterAClaimedOneAreAskedForWhenOneBetweenIsUnclaimed() {
		List<Instant> claimed = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicInteger runs = startCountingMinutelyAndClaims(claimed);
		// another instance claimed the fires at 60 s and 180 s, but nobody the one at 120 s
		this.state.claimFire("minutely", START.plusSeconds(60));
		this.state.claimFire("minutely", START.plusSeconds(180));
		advance(Duration.ofMinutes(1));
		await().until(() -> START.plusSeconds(120).equals(this.engine.job("minutely").nextFireTime()));
		advance(Duration.ofMinutes(1));
		// the one at 120 s is asked for, and recorded superseded up to 180 s
		JobExecution superseded = awaitFinished("minutely", 1).get(0);
		assertThat(superseded.scheduledTime()).isEqualTo(START.plusSeconds(120));
		assertThat(superseded.skipReason()).isEqualTo(SkipReason.SUPERSEDED);
		await().until(() -> START.plusSeconds(180).equals(this.engine.job("minutely").nextFireTime()));
		advance(Duration.ofMinutes(1));
		await().until(() -> START.plusSeconds(240).equals(this.engine.job("minutely").nextFireTime()));
		assertThat(claimed).containsExactly(START.plusSeconds(60), START.plusSeconds(120));
		assertThat(runs).hasValue(0);
	}

	@Test
	void aFireNoInstanceCouldClaimIsRecordedOnceHoweverManyInstancesFoundIt() {
		JobLock down = new InMemoryJobLock(this.state, this.clock) {
			@Override
			public Claim claim(ClaimRequest request) {
				throw new IllegalStateException("Redis is down");
			}
		};
		List<TickworkEngine> instances = List.of(
				engine((builder) -> builder.lock(down).instanceId("a")),
				engine((builder) -> builder.lock(down).instanceId("b")));
		for (TickworkEngine instance : instances) {
			instance.register(job("minutely", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> {
			}).build());
			instance.start();
		}
		this.clock.advance(Duration.ofMinutes(1));
		instances.forEach(TickworkEngine::tick);
		await().until(() -> this.listener.events().stream().filter((e) -> e.equals("skipped minutely store-unavailable")).count() == 2);
		instances.forEach(TickworkEngine::stop);
		assertThat(this.history.recent("minutely", 10)).singleElement().satisfies((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SKIPPED);
			assertThat(execution.errorMessage()).isEqualTo("store-unavailable: java.lang.IllegalStateException: Redis is down");
		});
	}

	@Test
	void anAttemptThatEndsAfterItsLockExpiredIsRecordedAsInterruptedByTheLostLock() {
		// the instance stalls past the lock's time to live while the job runs (here its clock
		// jumps), so no renewal could run: the job returns normally, but its lock was lost
		this.engine = engine((builder) -> builder.lockTtl(Duration.ofSeconds(30)));
		this.engine.register(job("stalled", Schedule.every(Duration.ofHours(1), Duration.ZERO),
				(ctx) -> this.clock.advance(Duration.ofSeconds(45)))
			.build());
		this.engine.start();
		advance(Duration.ofHours(1));
		JobExecution execution = awaitFinished("stalled", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
		assertThat(execution.errorMessage())
			.isEqualTo("lock lost: it expired at " + START.plus(Duration.ofHours(1)).plusSeconds(30)
					+ " before the attempt ended");
		assertThat(this.listener.events()).contains("interrupted stalled").doesNotContain("succeeded stalled");
	}

	@Test
	void anAttemptThatEndsWithinItsLocksTimeToLiveSucceeds() {
		this.engine = engine((builder) -> builder.lockTtl(Duration.ofSeconds(30)));
		this.engine.register(job("slow", Schedule.every(Duration.ofHours(1), Duration.ZERO),
				(ctx) -> this.clock.advance(Duration.ofSeconds(29)))
			.build());
		this.engine.start();
		advance(Duration.ofHours(1));
		assertThat(awaitFinished("slow", 1).get(0).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
	}

	@Test
	void misfireSkipRecordsTheMissedFiresWithoutRunning() {
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("skipper", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> runs.incrementAndGet())
			.misfire(Misfire.SKIP)
			.build());
		this.engine.start();
		advance(Duration.ofMinutes(30));
		JobExecution execution = awaitFinished("skipper", 1).get(0);
		assertThat(runs).hasValue(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SKIPPED);
		assertThat(execution.trigger()).isEqualTo(Trigger.MISFIRE);
		assertThat(execution.errorMessage()).startsWith("misfire: 30 fire(s) missed from " + START.plusSeconds(60));
		advance(Duration.ofMinutes(1));
		awaitFinished("skipper", 2);
		assertThat(runs).hasValue(1);
	}

	@Test
	void misfireRunAllReplaysEveryMissedFireInOrder() {
		List<Instant> fires = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.engine.register(job("replay", Schedule.every(Duration.ofMinutes(1), Duration.ZERO), (ctx) -> fires.add(ctx.scheduledTime()))
			.misfire(Misfire.RUN_ALL)
			.build());
		this.engine.start();
		advance(Duration.ofMinutes(5));
		awaitFinished("replay", 5);
		assertThat(fires).containsExactly(START.plusSeconds(60), START.plusSeconds(120), START.plusSeconds(180),
				START.plusSeconds(240), START.plusSeconds(300));
	}

	@Test
	void missedFiresFoundInTheStateStoreAtStartupApplyTheMisfirePolicy() {
		this.state.claimFire("nightly", START.minus(Duration.ofDays(3)));
		this.engine.register(job("nightly", Schedule.cron("0 2 * * *", java.time.ZoneOffset.UTC), (ctx) -> {
		}).build());
		this.engine.start();
		this.engine.tick();
		List<JobExecution> records = awaitFinished("nightly", 2);
		JobExecution execution = records.stream()
			.filter((e) -> e.status() == ExecutionStatus.SUCCEEDED)
			.findFirst()
			.orElseThrow();
		assertThat(execution.trigger()).isEqualTo(Trigger.MISFIRE);
		assertThat(execution.scheduledTime()).isEqualTo(Instant.parse("2026-01-05T02:00:00Z"));
		assertThat(records).filteredOn((e) -> e.status() == ExecutionStatus.SKIPPED)
			.singleElement()
			.satisfies((skipped) -> assertThat(skipped.errorMessage())
				.isEqualTo("misfire: 2 fire(s) missed from 2026-01-03T02:00:00Z to 2026-01-04T02:00:00Z; "
						+ "RUN_ONCE runs the latest, at 2026-01-05T02:00:00Z"));
		assertThat(this.engine.job("nightly").nextFireTime()).isEqualTo(Instant.parse("2026-01-06T02:00:00Z"));
	}

	@Test
	void pausedJobRecordsSkippedFiresUntilResumed() {
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("pausable", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> runs.incrementAndGet())
			.build());
		this.engine.start();
		this.engine.pause("pausable");
		assertThat(this.engine.job("pausable").paused()).isTrue();
		advance(Duration.ofSeconds(10));
		JobExecution skipped = awaitFinished("pausable", 1).get(0);
		assertThat(skipped.status()).isEqualTo(ExecutionStatus.SKIPPED);
		assertThat(skipped.errorMessage()).isEqualTo("paused");
		this.engine.resume("pausable");
		advance(Duration.ofSeconds(10));
		awaitFinished("pausable", 2);
		assertThat(runs).hasValue(1);
	}

	@Test
	void pauseAndResumeByTag() {
		this.engine.register(job("a", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
		}).tags(List.of("reports")).build());
		this.engine.register(job("b", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
		}).tags(List.of("reports", "nightly")).build());
		this.engine.register(job("c", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
		}).build());
		assertThat(this.engine.pauseTag("reports")).containsExactly("a", "b");
		assertThat(this.engine.jobs()).extracting(JobInfo::name, JobInfo::paused)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("a", true), org.assertj.core.groups.Tuple.tuple("b", true),
					org.assertj.core.groups.Tuple.tuple("c", false));
		assertThat(this.engine.resumeTag("nightly")).containsExactly("b");
		assertThat(this.engine.job("b").paused()).isFalse();
	}

	@Test
	void triggerRunsAManualExecutionNowEvenWhenPaused() throws Exception {
		this.engine.register(job("manual", Schedule.cron("0 0 1 1 *", java.time.ZoneOffset.UTC), (ctx) -> {
		}).build());
		this.engine.start();
		this.engine.pause("manual");
		var run = this.engine.trigger("manual");
		JobExecution execution = run.get(5, TimeUnit.SECONDS);
		assertThat(execution.id()).isEqualTo(run.executionId());
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(execution.trigger()).isEqualTo(Trigger.MANUAL);
		assertThat(this.engine.history("manual", 10)).containsExactly(execution);
	}

	@Test
	void triggerOfARunningJobIsSkippedAsOverlap() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.engine.register(job("busy", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> release.await()).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		await().until(() -> this.engine.job("busy").running());
		JobExecution skipped = this.engine.trigger("busy").get(5, TimeUnit.SECONDS);
		assertThat(skipped.status()).isEqualTo(ExecutionStatus.SKIPPED);
		assertThat(skipped.errorMessage()).isEqualTo("overlap");
		release.countDown();
	}

	@Test
	void disabledJobIsListedButNeverFiresAndItsManualRunIsSkipped() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("off", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> runs.incrementAndGet())
			.enabled(false)
			.build());
		this.engine.start();
		advance(Duration.ofSeconds(30));
		JobInfo info = this.engine.job("off");
		assertThat(info.enabled()).isFalse();
		assertThat(info.nextFireTime()).isNull();
		assertThat(this.engine.nextFireTimes("off", 3)).isEmpty();
		JobExecution skipped = this.engine.trigger("off").get(5, TimeUnit.SECONDS);
		assertThat(skipped.errorMessage()).isEqualTo("disabled: job 'off' is disabled");
		assertThat(runs).hasValue(0);
	}

	@Test
	void unknownJobNamesRaiseNoSuchJobException() {
		assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> this.engine.job("nope"))
			.withMessage("No job named 'nope'");
		assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> this.engine.pause("nope"));
		assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> this.engine.trigger("nope"));
		assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> this.engine.history("nope", 1));
		assertThatExceptionOfType(NoSuchJobException.class).isThrownBy(() -> this.engine.remove("nope"));
	}

	@Test
	void registeringADeclaredJobTwiceNamesBothSources() {
		this.engine.register(job("dup", Schedule.every(Duration.ofSeconds(1), Duration.ZERO), (ctx) -> {
		}).source("bean 'a' method A.run()").build());
		assertThatIllegalStateException()
			.isThrownBy(() -> this.engine.register(job("dup", Schedule.every(Duration.ofSeconds(1), Duration.ZERO), (ctx) -> {
			}).source("bean 'b' method B.run()").build()))
			.withMessageContaining("Job name 'dup' is used twice: by bean 'a' method A.run() and by bean 'b' method B.run()")
			.withMessageContaining("@ScheduledJob(name");
	}

	@Test
	void aJobDefinedInCodeCannotTakeTheNameOfADeclaredJob() {
		this.engine.register(job("nightly", Schedule.cron("0 2 * * *"), (ctx) -> {
		}).source("method Reports.nightly()").build());
		assertThatIllegalStateException()
			.isThrownBy(() -> this.engine.schedule("nightly", Schedule.every(Duration.ofMinutes(1)), (ctx) -> {
			}))
			.withMessage("Job name 'nightly' is declared by method Reports.nightly(); JobScheduler.schedule cannot "
					+ "replace it: give the new job another name, or remove the declared one first");
		assertThat(this.engine.job("nightly").schedule()).isEqualTo("cron 0 2 * * *");
		this.engine.remove("nightly");
		assertThat(this.engine.schedule("nightly", Schedule.every(Duration.ofMinutes(1)), (ctx) -> {
		}).schedule()).startsWith("every 1m");
	}

	@Test
	void jobsDefinedInCodeCanBeReplacedAndRemoved() {
		AtomicInteger first = new AtomicInteger();
		AtomicInteger second = new AtomicInteger();
		this.engine.start();
		this.engine.schedule("code", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> first.incrementAndGet());
		JobInfo info = this.engine.schedule("code", Schedule.every(Duration.ofSeconds(20), Duration.ZERO),
				(ctx) -> second.incrementAndGet());
		assertThat(info.schedule()).isEqualTo("every 20s");
		advance(Duration.ofSeconds(20));
		awaitFinished("code", 1);
		assertThat(first).hasValue(0);
		assertThat(second).hasValue(1);
		this.engine.remove("code");
		advance(Duration.ofSeconds(20));
		assertThat(this.engine.jobs()).isEmpty();
		assertThat(this.history.recent("code", 10)).hasSize(1);
	}

	@Test
	void oneTimeScheduleFiresOnce() {
		AtomicInteger runs = new AtomicInteger();
		this.engine.start();
		this.engine.schedule("once", Schedule.once(START.plusSeconds(5)), (ctx) -> runs.incrementAndGet());
		advance(Duration.ofSeconds(5));
		awaitFinished("once", 1);
		advance(Duration.ofSeconds(60));
		assertThat(runs).hasValue(1);
		assertThat(this.engine.jobs()).as("a finished one-time job leaves the list").isEmpty();
		assertThat(this.engine.history("once", 10)).hasSize(1);
	}

	@Test
	void fixedDelayCountsFromTheEndOfThePreviousExecution() {
		this.engine.register(job("drain", Schedule.fixedDelay(Duration.ofSeconds(30)), (ctx) -> this.clock.advance(Duration.ofSeconds(7)))
			.initialDelay(Duration.ofSeconds(5))
			.build());
		this.engine.start();
		assertThat(this.engine.job("drain").nextFireTime()).isEqualTo(START.plusSeconds(5));
		advance(Duration.ofSeconds(5));
		awaitFinished("drain", 1);
		await().until(() -> this.engine.job("drain").nextFireTime() != null);
		assertThat(this.engine.job("drain").nextFireTime()).isEqualTo(START.plusSeconds(5 + 7 + 30));
	}

	@Test
	void maxConcurrentBoundsRunningExecutions() throws Exception {
		this.engine = engine((builder) -> builder.maxConcurrent(2));
		AtomicInteger running = new AtomicInteger();
		AtomicInteger peak = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < 5; i++) {
			this.engine.register(job("job-" + i, Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
				peak.accumulateAndGet(running.incrementAndGet(), Math::max);
				release.await();
				running.decrementAndGet();
			}).build());
		}
		this.engine.start();
		advance(Duration.ofSeconds(10));
		await().until(running::get, (n) -> n == 2);
		// and no third starts
		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(running::get, (n) -> n == 2);
		release.countDown();
		for (int i = 0; i < 5; i++) {
			awaitFinished("job-" + i, 1);
		}
		assertThat(peak).hasValue(2);
	}

	@Test
	void aSaturatedEngineClaimsAheadOnlyAsFarAsItsLimitAndFindsTheLaterFiresLate() throws Exception {
		this.engine = engine((builder) -> builder.maxConcurrent(1));
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("busy", Schedule.every(Duration.ofSeconds(1), Duration.ZERO), (ctx) -> {
			if (runs.incrementAndGet() == 1) {
				release.await();
			}
		}).build());
		this.engine.start();
		advance(Duration.ofSeconds(1));
		await().until(runs::get, (n) -> n == 1);
		for (int i = 0; i < 19; i++) {
			advance(Duration.ofSeconds(1));
		}
		// the fire at 2s is claimed ahead of the only worker (and finds the lock taken); the
		// one at 3s waits to be claimed, and the one at 4s is not armed until it is
		assertThat(this.engine.job("busy").nextFireTime()).isEqualTo(START.plusSeconds(4));
		release.countDown();
		await().until(runs::get, (n) -> n == 2);
		advance(Duration.ofMillis(1));
		List<JobExecution> executions = awaitFinished("busy", 5);
		assertThat(executions.stream()
			.sorted(java.util.Comparator.comparing(JobExecution::scheduledTime).reversed())
			.toList())
			.extracting(JobExecution::scheduledTime, JobExecution::trigger, JobExecution::status,
					JobExecution::errorMessage)
			.containsExactly(tuple(START.plusSeconds(20), Trigger.MISFIRE, ExecutionStatus.SUCCEEDED, null),
					// the fires found late are recorded, in one record that names them
					tuple(START.plusSeconds(4), Trigger.MISFIRE, ExecutionStatus.SKIPPED,
							"misfire: 16 fire(s) missed from " + START.plusSeconds(4) + " to " + START.plusSeconds(19)
									+ "; RUN_ONCE runs the latest, at " + START.plusSeconds(20)),
					tuple(START.plusSeconds(3), Trigger.SCHEDULE, ExecutionStatus.SUCCEEDED, null),
					tuple(START.plusSeconds(2), Trigger.SCHEDULE, ExecutionStatus.SKIPPED, "overlap"),
					tuple(START.plusSeconds(1), Trigger.SCHEDULE, ExecutionStatus.SUCCEEDED, null));
		assertThat(runs).hasValue(3);
	}

	@Test
	void aFireWithinTheStartLeadIsClaimedEarlyAndStartsAtItsScheduledTime() {
		Queue<Runnable> workers = new ConcurrentLinkedQueue<>();
		long lead = Duration.ofMillis(10).toNanos();
		this.engine = engine((builder) -> builder.executor(workers::add).startLead(Duration.ofNanos(lead)));
		this.engine.register(job("early", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
		}).build());
		this.engine.start();
		Instant due = START.plusSeconds(10);
		this.clock.set(due.minusMillis(20));
		this.engine.tick(lead);
		assertThat(this.state.lastFire("early")).as("a fire due beyond the lead").isEmpty();
		this.clock.set(due.minusMillis(5));
		this.engine.tick();
		assertThat(this.state.lastFire("early")).as("tick() hands nothing out early").isEmpty();
		this.engine.tick(lead);
		assertThat(this.state.lastFire("early")).as("claimed within the lead").contains(due);
		assertThat(workers).hasSize(1);
		assertThat(this.history.recent("early", 10)).isEmpty();
		this.clock.set(due);
		Runnable worker;
		while ((worker = workers.poll()) != null) {
			worker.run();
		}
		assertThat(this.history.recent("early", 10)).singleElement().satisfies((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(execution.startedAt()).isEqualTo(due);
			assertThat(execution.lateness()).isZero();
		});
		assertThat(this.engine.job("early").nextFireTime()).isEqualTo(due.plusSeconds(10));
	}

	@Test
	void aFireHandedOutEarlyNeverStartsBeforeItsScheduledTime() {
		long lead = Duration.ofMillis(10).toNanos();
		Clock system = Clock.systemUTC();
		InMemoryJobHistory executions = new InMemoryJobHistory(system, 100, Duration.ofDays(1));
		InMemoryJobStateStore store = new InMemoryJobStateStore();
		this.engine = TickworkEngine.builder()
			.clock(system)
			.executor(this.executor)
			.lock(new InMemoryJobLock(store, system))
			.history(executions)
			.state(store)
			.ticker(false)
			.startLead(Duration.ofNanos(lead))
			.build();
		Instant due = system.instant().plusMillis(8).truncatedTo(ChronoUnit.MICROS);
		AtomicReference<Instant> ran = new AtomicReference<>();
		this.engine.register(job("soon", Schedule.once(due), (ctx) -> ran.set(system.instant())).build());
		this.engine.start();
		this.engine.tick(lead);
		await().atMost(Duration.ofSeconds(10)).until(() -> executions.recent("soon", 1).stream()
			.anyMatch((execution) -> execution.status().isFinished()));
		assertThat(ran.get()).isAfterOrEqualTo(due);
		assertThat(executions.recent("soon", 1)).singleElement().satisfies((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(execution.startedAt()).isAfterOrEqualTo(due);
		});
	}

	@Test
	void theStartLeadIsBetweenZeroAndTenMilliseconds() {
		assertThatIllegalArgumentException().isThrownBy(() -> engine((builder) -> builder.startLead(Duration.ofMillis(11))))
			.withMessage("startLead must be between 0 and PT0.01S, was PT0.011S");
		assertThatIllegalArgumentException().isThrownBy(() -> engine((builder) -> builder.startLead(Duration.ofNanos(-1))))
			.withMessage("startLead must be between 0 and PT0.01S, was PT-0.000000001S");
		assertThat(engine((builder) -> builder.startLead(Duration.ZERO))).isNotNull();
	}

	@Test
	void aClaimAnsweredAfterStopBeganIsSkippedAndReleasesItsLock() throws Exception {
		InMemoryJobLock inMemory = new InMemoryJobLock(this.state, this.clock);
		CompletableFuture<Claim> answer = new CompletableFuture<>();
		AtomicReference<ClaimRequest> sent = new AtomicReference<>();
		JobLock slow = new JobLock() {

			@Override
			public Claim claim(ClaimRequest request) {
				return inMemory.claim(request);
			}

			@Override
			public CompletionStage<Claim> claimAsync(ClaimRequest request, Executor executor) {
				sent.set(request);
				return answer;
			}

			@Override
			public boolean extend(Lease lease, Duration ttl) {
				return inMemory.extend(lease, ttl);
			}

			@Override
			public boolean release(Lease lease, JobExecution execution) {
				return inMemory.release(lease, execution);
			}

		};
		this.engine = engine((builder) -> builder.lock(slow));
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("slow", Schedule.every(Duration.ofSeconds(10), Duration.ZERO),
				(ctx) -> runs.incrementAndGet()).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		assertThat(sent.get()).isNotNull();
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(this.engine::stop);
		await().until(() -> !this.engine.isRunning());
		// stop() waits for the claim in flight
		assertThat(stopped).isNotDone();
		answer.complete(inMemory.claim(sent.get()));
		stopped.get(5, TimeUnit.SECONDS);
		assertThat(runs).hasValue(0);
		assertThat(this.history.recent("slow", 10)).singleElement().satisfies((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SKIPPED);
			assertThat(execution.errorMessage()).startsWith("shutdown");
			assertThat(execution.fencingToken()).isPositive();
		});
		assertThat(inMemory.claim(new ClaimRequest("slow", START.plusSeconds(20), Trigger.SCHEDULE, true,
				Duration.ofMinutes(1), "other", "id", START.plusSeconds(20), false)).status())
			.isEqualTo(Claim.Status.ACQUIRED);
	}

	@Test
	void shutdownWaitsForRunningExecutionsToEnd() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		this.engine.register(job("finishing", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			started.countDown();
			Thread.sleep(300);
		}).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		this.engine.stop();
		assertThat(this.history.recent("finishing", 1).get(0).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(this.engine.isRunning()).isFalse();
	}

	@Test
	void shutdownInterruptsExecutionsStillRunningAfterTheTimeoutAndRecordsThem() throws Exception {
		this.engine = engine((builder) -> builder.shutdownTimeout(Duration.ofMillis(200)));
		CountDownLatch started = new CountDownLatch(1);
		this.engine.register(job("endless", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			started.countDown();
			Thread.sleep(60_000);
		}).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		this.engine.stop();
		JobExecution execution = this.history.recent("endless", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
		assertThat(execution.errorMessage()).isEqualTo("shutdown");
		assertThat(this.listener.events()).contains("interrupted endless");
	}

	@Test
	void shutdownRecordsAnExecutionWaitingForARetryAsInterrupted() {
		this.engine.register(job("retrying", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			throw new IllegalStateException("nope");
		}).retry(new RetryPolicy(3, Backoff.FIXED, Duration.ofMinutes(5), 1.0, Duration.ofMinutes(5), 0.0)).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		await().until(() -> this.listener.events().size() == 2);
		this.engine.stop();
		JobExecution execution = this.history.recent("retrying", 1).get(0);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
		assertThat(execution.attempts()).isEqualTo(1);
		assertThat(execution.errorMessage()).isEqualTo("shutdown before attempt 2");
	}

	@Test
	void aFireWaitingForTheLockAtShutdownIsRecordedAndItsRunCompleted() throws Exception {
		CountDownLatch locked = new CountDownLatch(1);
		io.tickwork.JobListener claims = new io.tickwork.JobListener() {
			@Override
			public void onClaim(String job, Instant scheduledTime, io.tickwork.ClaimOutcome outcome) {
				if (outcome == io.tickwork.ClaimOutcome.LOCKED) {
					locked.countDown();
				}
			}
		};
		this.engine = engine((builder) -> builder.shutdownTimeout(Duration.ofMillis(100))
			.listener(new CompositeJobListener(List.of(this.listener, claims))));
		CountDownLatch started = new CountDownLatch(1);
		this.engine.register(job("waiting", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
			started.countDown();
			Thread.sleep(60_000);
		}).overlap(Overlap.WAIT).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		var waiting = this.engine.trigger("waiting");
		assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(waiting).isNotDone();
		this.engine.stop();
		JobExecution skipped = waiting.get(5, TimeUnit.SECONDS);
		assertThat(skipped.status()).isEqualTo(ExecutionStatus.SKIPPED);
		assertThat(skipped.errorMessage())
			.isEqualTo("shutdown: the scheduler stopped while the fire waited for its lock");
		assertThat(this.history.recent("waiting", 10)).extracting(JobExecution::status)
			.containsExactlyInAnyOrder(ExecutionStatus.SKIPPED, ExecutionStatus.INTERRUPTED);
	}

	@Test
	void firesAfterStopAreNotTakenAndTriggerIsRefused() {
		AtomicInteger runs = new AtomicInteger();
		this.engine.register(job("after", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> runs.incrementAndGet()).build());
		this.engine.start();
		this.engine.stop();
		advance(Duration.ofSeconds(10));
		assertThat(runs).hasValue(0);
		assertThatIllegalStateException().isThrownBy(() -> this.engine.trigger("after"))
			.withMessageContaining("the scheduler is stopped");
	}

	@Test
	void listenerFailuresDoNotAffectExecutions() {
		this.engine = engine((builder) -> builder.listener(new CompositeJobListener(List.of(new io.tickwork.JobListener() {
			@Override
			public void onStarted(JobExecution execution) {
				throw new IllegalStateException("listener bug");
			}
		}, this.listener))));
		this.engine.register(job("listened", Schedule.every(Duration.ofSeconds(10), Duration.ZERO), (ctx) -> {
		}).build());
		this.engine.start();
		advance(Duration.ofSeconds(10));
		assertThat(awaitFinished("listened", 1).get(0).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(this.listener.events()).containsExactly("started listened", "succeeded listened");
	}

	@Test
	void nextFireTimesFollowTheSchedule() {
		this.engine.register(job("cron", Schedule.cron("0 9 * * MON", java.time.ZoneOffset.UTC), (ctx) -> {
		}).build());
		this.engine.start();
		assertThat(this.engine.nextFireTimes("cron", 3)).containsExactly(Instant.parse("2026-01-12T09:00:00Z"),
				Instant.parse("2026-01-19T09:00:00Z"), Instant.parse("2026-01-26T09:00:00Z"));
	}

	@Test
	void tickerThreadFiresJobsOnTheSystemClock() throws Exception {
		this.engine.stop();
		CountDownLatch fired = new CountDownLatch(3);
		TickworkEngine real = TickworkEngine.builder()
			.executor(this.executor)
			.lock(new InMemoryJobLock(this.state, java.time.Clock.systemUTC()))
			.history(io.tickwork.history.JobHistory.NONE)
			.state(this.state)
			.tickInterval(Duration.ofMillis(50))
			.build();
		real.register(job("fast", Schedule.every(Duration.ofMillis(20), Duration.ZERO), (ctx) -> fired.countDown()).build());
		real.start();
		try {
			assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			real.stop();
		}
	}

}
