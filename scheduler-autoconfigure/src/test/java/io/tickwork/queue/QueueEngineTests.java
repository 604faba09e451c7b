package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.Backoff;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobContext;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.JobRequest;
import io.tickwork.QueueFullException;
import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;
import io.tickwork.RetryPolicy;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The queue engine on the memory store: handlers, retries through the queue, the dead
 * letter, timeouts, delays, priorities, capacity, outcomes and shutdown.
 */
class QueueEngineTests {

	record Mail(String to, int n) {
	}

	private InMemoryQueueStore store = new InMemoryQueueStore();

	private final InMemoryJobHistory history = new InMemoryJobHistory(java.time.Clock.systemUTC(), 100,
			Duration.ofHours(1));

	private final List<String> events = new CopyOnWriteArrayList<>();

	private QueueEngine engine = engine(QueueSettings.DEFAULTS);

	private QueueEngine engine(QueueSettings settings) {
		return engine(settings, java.time.Clock.systemUTC(), Duration.ofHours(1));
	}

	private QueueEngine engine(QueueSettings settings, java.time.Clock clock, Duration pollInterval) {
		return QueueEngine.builder()
			.clock(clock)
			.store(this.store, false)
			.codec(new JsonCodec())
			.history(this.history)
			.instanceId("me")
			.settings((type) -> settings)
			.pollInterval(pollInterval)
			.shutdownTimeout(Duration.ofMillis(300))
			.listener(new JobListener() {
				@Override
				public void onStarted(JobExecution execution) {
					QueueEngineTests.this.events.add("started " + execution.id());
				}

				@Override
				public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
					QueueEngineTests.this.events.add("retrying " + execution.id() + " " + execution.status());
				}

				@Override
				public void onSucceeded(JobExecution execution) {
					QueueEngineTests.this.events.add("succeeded " + execution.id());
				}

				@Override
				public void onFailed(JobExecution execution, Throwable error) {
					QueueEngineTests.this.events.add("failed " + execution.id());
				}

				@Override
				public void onTimedOut(JobExecution execution) {
					QueueEngineTests.this.events.add("timed out " + execution.id());
				}

				@Override
				public void onInterrupted(JobExecution execution) {
					QueueEngineTests.this.events.add("interrupted " + execution.id());
				}
			})
			.build();
	}

	private static RetryPolicy retries(int attempts) {
		return new RetryPolicy(attempts, Backoff.FIXED, Duration.ofMillis(20), 1, Duration.ofMillis(20), 0);
	}

	private static HandlerDefinition handler(String type, HandlerDefinition.Invoker invoker, RetryPolicy retry,
			Duration timeout, int concurrency) {
		return new HandlerDefinition(type, Mail.class, invoker, timeout, retry, concurrency, true, "test " + type);
	}

	@AfterEach
	void stop() {
		this.engine.stop();
	}

	@Test
	void aHandlerGetsItsTypedPayloadAndContext() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		this.engine.register(handler("mail", (payload, context) -> seen.add(((Mail) payload).to() + " "
				+ context.jobName() + " " + context.jobId() + " " + context.attempt() + " " + context.fencingToken() + " "
				+ context.trigger()), RetryPolicy.NONE, null, 2));
		this.engine.start();
		String id = this.engine.enqueue("mail", new Mail("ann@example.com", 1));
		QueuedJob done = this.engine.outcome(id, Duration.ofSeconds(5)).get();
		assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
		assertThat(seen).containsExactly("ann@example.com mail " + id + " 1 1 QUEUE");
		assertThat(this.engine.get(id)).get().extracting(QueuedJob::status, QueuedJob::attempts, QueuedJob::instance)
			.containsExactly(Status.SUCCEEDED, 1, "me");
		assertThat(this.history.recent("queue:mail", 10)).singleElement().satisfies((execution) -> {
			assertThat(execution.id()).isEqualTo(id + "#1");
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(execution.trigger()).isEqualTo(JobExecution.Trigger.QUEUE);
		});
		assertThat(this.events).containsExactly("started " + id + "#1", "succeeded " + id + "#1");
	}

	@Test
	void failedAttemptsAreRetriedThroughTheQueueThenDeadLettered() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		this.engine.register(handler("flaky", (payload, context) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("smtp down " + context.attempt());
		}, retries(3), null, 1));
		this.engine.start();
		String id = this.engine.enqueue("flaky", new Mail("bob", 2));
		QueuedJob dead = this.engine.outcome(id, Duration.ofSeconds(5)).get();
		assertThat(dead.status()).isEqualTo(Status.DEAD);
		assertThat(dead.attempts()).isEqualTo(3);
		assertThat(dead.lastError()).isEqualTo("java.lang.IllegalStateException: smtp down 3");
		assertThat(calls).hasValue(3);
		assertThat(this.engine.deadLetters("flaky", 10)).extracting(QueuedJob::id).containsExactly(id);
		assertThat(this.engine.deadLetters("flaky", 10).get(0).payload()).isEqualTo("{\"to\":\"bob\",\"n\":2}");
		assertThat(this.events).containsExactly("started " + id + "#1", "retrying " + id + "#1 FAILED",
				"started " + id + "#2", "retrying " + id + "#2 FAILED", "started " + id + "#3", "failed " + id + "#3");
		assertThat(this.history.recent("queue:flaky", 10)).extracting(JobExecution::status)
			.containsOnly(ExecutionStatus.FAILED)
			.hasSize(3);
		assertThat(this.engine.requeue(id)).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 6);
	}

	@Test
	void aRequestCanAskForItsOwnAttemptsAndTimeout() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		this.engine.register(handler("slow", (payload, context) -> {
			calls.incrementAndGet();
			assertThat(context.deadline()).isPresent();
			Thread.sleep(10_000);
		}, retries(5), null, 1));
		this.engine.start();
		String id = this.engine.enqueue(JobRequest.of("slow", new Mail("c", 3)).maxAttempts(2)
			.timeout(Duration.ofMillis(100)));
		QueuedJob dead = this.engine.outcome(id, Duration.ofSeconds(5)).get();
		assertThat(dead.status()).isEqualTo(Status.DEAD);
		assertThat(dead.lastError()).isEqualTo("timed out after 100ms");
		assertThat(calls).hasValue(2);
		assertThat(this.history.recent("queue:slow", 10)).extracting(JobExecution::status)
			.containsOnly(ExecutionStatus.TIMED_OUT);
		assertThat(this.events).contains("timed out " + id + "#2");
	}

	@Test
	void aPayloadThatCannotBeReadGoesToTheDeadLetterAtOnce() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		this.engine.register(handler("typed", (payload, context) -> calls.incrementAndGet(), retries(5), null, 1));
		this.engine.start();
		String id = this.engine.enqueue("typed", List.of("not", "a", "mail"));
		QueuedJob dead = this.engine.outcome(id, Duration.ofSeconds(5)).get();
		assertThat(dead.status()).isEqualTo(Status.DEAD);
		assertThat(dead.attempts()).isEqualTo(1);
		assertThat(dead.lastError()).contains("payload cannot be read as " + Mail.class.getName());
		assertThat(dead.payloadType()).isEqualTo(List.of().getClass().getName());
		assertThat(calls).hasValue(0);
	}

	@Test
	void higherPriorityRunsFirst() throws Exception {
		List<Integer> order = new CopyOnWriteArrayList<>();
		this.engine.register(handler("p", (payload, context) -> order.add(((Mail) payload).n()), RetryPolicy.NONE, null,
				1));
		for (int i = 0; i < 5; i++) {
			this.engine.enqueue(JobRequest.of("p", new Mail("x", i)).priority((i == 3) ? 10 : 0));
		}
		this.engine.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 5);
		assertThat(order).containsExactly(3, 0, 1, 2, 4);
	}

	@Test
	void aDelayedJobStartsOnTimeWithoutPolling() throws Exception {
		CountDownLatch ran = new CountDownLatch(1);
		long[] startedAt = new long[1];
		this.engine.register(handler("later", (payload, context) -> {
			startedAt[0] = System.currentTimeMillis();
			ran.countDown();
		}, RetryPolicy.NONE, null, 1));
		this.engine.start();
		Instant at = Instant.now().plusMillis(300);
		this.engine.enqueue(JobRequest.of("later", null).at(at));
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(startedAt[0] - at.toEpochMilli()).isBetween(0L, 200L);
	}

	@Test
	void delaysAndBackoffsFollowTheEngineClock() throws Exception {
		MutableClock clock = new MutableClock(Instant.parse("2026-12-04T09:00:00Z"));
		this.engine.stop();
		// finished jobs expire by the store's clock: the engine's, or the job that ran at
		// 10:00 on the moved clock would be gone by the system clock's time
		this.store = new InMemoryQueueStore(clock);
		// the clock moves in steps; polls every 20 ms see each step
		this.engine = engine(QueueSettings.DEFAULTS, clock, Duration.ofMillis(20));
		List<String> runs = new CopyOnWriteArrayList<>();
		this.engine.register(handler("report", (payload, context) -> {
			runs.add(((Mail) payload).to() + " " + context.attempt() + " at " + clock.instant());
			if (((Mail) payload).to().equals("flaky") && context.attempt() == 1) {
				throw new IllegalStateException("not yet");
			}
		}, new RetryPolicy(2, Backoff.FIXED, Duration.ofMinutes(10), 1, Duration.ofMinutes(10), 0), null, 2));
		this.engine.start();
		String later = this.engine.enqueue(JobRequest.of("report", new Mail("later", 1)).delay(Duration.ofHours(1)));
		String flaky = this.engine.enqueue("report", new Mail("flaky", 1));
		await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
		assertThat(runs).containsExactly("flaky 1 at 2026-12-04T09:00:00Z");
		assertThat(this.engine.get(flaky).orElseThrow().scheduledAt()).isEqualTo("2026-12-04T09:10:00Z");
		clock.advance(Duration.ofMinutes(9));
		// polls every 20 ms see the clock: nothing more runs before its time
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> runs.size() == 1);
		clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
		assertThat(runs.get(1)).isEqualTo("flaky 2 at 2026-12-04T09:10:00Z");
		clock.advance(Duration.ofMinutes(49));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> runs.size() == 2);
		assertThat(this.engine.get(later).orElseThrow().status()).isEqualTo(Status.DELAYED);
		clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 3);
		assertThat(runs.get(2)).isEqualTo("later 1 at 2026-12-04T10:00:00Z");
		assertThat(this.engine.outcome(later, Duration.ofSeconds(5)).get().status()).isEqualTo(Status.SUCCEEDED);
	}

	@Test
	void concurrencyBoundsTheJobsRunningAtOnce() {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		this.engine.register(handler("bounded", (payload, context) -> {
			most.accumulateAndGet(running.incrementAndGet(), Math::max);
			Thread.sleep(20);
			running.decrementAndGet();
			done.incrementAndGet();
		}, RetryPolicy.NONE, null, 3));
		this.engine.start();
		for (int i = 0; i < 30; i++) {
			this.engine.enqueue("bounded", new Mail("x", i));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 30);
		assertThat(most.get()).isEqualTo(3);
		assertThat(this.engine.size("bounded")).isZero();
	}

	@Test
	void anIdIsAnIdempotencyKey() {
		this.engine.register(handler("once", (payload, context) -> {
		}, RetryPolicy.NONE, null, 1));
		String first = this.engine.enqueue(JobRequest.of("once", new Mail("a", 1)).id("welcome-7"));
		String second = this.engine.enqueue(JobRequest.of("once", new Mail("b", 2)).id("welcome-7"));
		assertThat(first).isEqualTo("welcome-7").isEqualTo(second);
		assertThat(this.engine.size("once")).isEqualTo(1);
		assertThat(this.engine.get("welcome-7").orElseThrow().payload()).contains("\"a\"");
	}

	@Test
	void aFullQueueRefusesWaitsOrSaysSo() throws Exception {
		this.engine.stop();
		this.engine = engine(new QueueSettings(2, Duration.ofHours(1), 10, Duration.ofDays(1)));
		CountDownLatch release = new CountDownLatch(1);
		this.engine.register(handler("small", (payload, context) -> release.await(), RetryPolicy.NONE, null, 1));
		this.engine.enqueue("small", null);
		this.engine.enqueue("small", null);
		assertThatExceptionOfType(QueueFullException.class).isThrownBy(() -> this.engine.enqueue("small", null))
			.withMessage("Queue 'small' is full: it holds 2 ready and delayed jobs, its capacity"
					+ " (tickwork.queues.small.capacity)");
		assertThat(this.engine.tryEnqueue(JobRequest.of("small", null))).isFalse();
		this.engine.start();
		assertThat(this.engine.enqueue(JobRequest.of("small", null), Duration.ofSeconds(5))).isNotNull();
		release.countDown();
	}

	@Test
	void aListIsEnqueuedInOrderAndAnIdMayComeTwice() {
		List<String> runs = new CopyOnWriteArrayList<>();
		this.engine.register(handler("bulk", (payload, context) -> runs.add(((Mail) payload).to()), RetryPolicy.NONE,
				null, 1));
		List<String> ids = this.engine.enqueueAll(List.of(JobRequest.of("bulk", new Mail("a", 1)).id("first"),
				JobRequest.of("bulk", new Mail("b", 2)), JobRequest.of("bulk", new Mail("c", 3)).id("first")));
		assertThat(ids).hasSize(3);
		assertThat(ids.get(0)).isEqualTo("first").isEqualTo(ids.get(2));
		assertThat(ids.get(1)).isNotEqualTo("first");
		this.engine.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
		assertThat(runs).containsExactly("a", "b");
		assertThat(this.engine.enqueueAll(List.of())).isEmpty();
	}

	@Test
	void aListThatDoesNotFitEnqueuesWhatFitsAndNamesTheRest() {
		this.engine.stop();
		this.engine = engine(new QueueSettings(2, Duration.ofHours(1), 10, Duration.ofDays(1)));
		this.engine.register(handler("small", (payload, context) -> {
		}, RetryPolicy.NONE, null, 1));
		assertThatExceptionOfType(QueueFullException.class)
			.isThrownBy(() -> this.engine.enqueueAll(List.of(JobRequest.of("small", null).id("x"),
					JobRequest.of("small", null).id("y"), JobRequest.of("small", null).id("z"))))
			.withMessageEndingWith("(tickwork.queues.small.capacity); 1 job(s) of the list were not enqueued")
			.satisfies((ex) -> assertThat(ex.getRefusedIds()).containsExactly("z"));
		assertThat(this.engine.size("small")).isEqualTo(2);
		assertThat(this.engine.get("z")).isEmpty();
	}

	@Test
	void aListWithARequestThatCannotBeEnqueuedEnqueuesNothing() {
		this.engine.register(handler("ok", (payload, context) -> {
		}, RetryPolicy.NONE, null, 1));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.engine.enqueueAll(List.of(JobRequest.of("ok", null), JobRequest.of("nope", null))))
			.withMessageStartingWith("Request 1 of enqueueAll: No @JobHandler handles job type 'nope'");
		assertThat(this.engine.size("ok")).isZero();
	}

	@Test
	void aJobThatHasNotStartedCanBeCancelled() throws Exception {
		this.engine.register(handler("c", (payload, context) -> {
		}, RetryPolicy.NONE, null, 1));
		String id = this.engine.enqueue(JobRequest.of("c", null).delay(Duration.ofMinutes(5)));
		var outcome = this.engine.outcome(id, Duration.ofSeconds(5));
		assertThat(this.engine.cancel(id)).isTrue();
		assertThat(outcome.get().status()).isEqualTo(Status.CANCELLED);
		assertThat(this.engine.cancel(id)).isFalse();
		assertThat(this.engine.cancel("no-such-id")).isFalse();
	}

	@Test
	void anOutcomeCanTimeOutOrNotExist() {
		this.engine.register(handler("never", (payload, context) -> {
		}, RetryPolicy.NONE, null, 1));
		String id = this.engine.enqueue("never", null);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.engine.outcome(id, Duration.ofMillis(50)).get())
			.withCauseInstanceOf(TimeoutException.class);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> this.engine.outcome("missing", Duration.ofMillis(50)).get())
			.withCauseInstanceOf(NoSuchElementException.class);
	}

	@Test
	void aTypeWithoutHandlerIsRefusedByAStoreThatIsNotShared() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.engine.enqueue("nobody", null))
			.withMessageContaining("No @JobHandler handles job type 'nobody'");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> JobRequest.of("bad type", null))
			.withMessageContaining("Job type 'bad type' is not valid");
	}

	@Test
	void twoHandlersOfOneTypeAreRefused() {
		this.engine.register(handler("dup", (payload, context) -> {
		}, RetryPolicy.NONE, null, 1));
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.engine.register(handler("dup", (payload, context) -> {
			}, RetryPolicy.NONE, null, 1)))
			.withMessage("Job type 'dup' has two handlers: test dup and test dup");
	}

	@Test
	void aPausedTypeWaitsForResume() throws Exception {
		CountDownLatch ran = new CountDownLatch(1);
		this.engine.register(handler("paused", (payload, context) -> ran.countDown(), RetryPolicy.NONE, null, 1));
		this.engine.pause("paused");
		this.engine.start();
		this.engine.enqueue("paused", null);
		assertThat(ran.await(300, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(this.engine.queues()).singleElement().satisfies((info) -> {
			assertThat(info.paused()).isTrue();
			assertThat(info.ready()).isEqualTo(1);
			assertThat(info.handled()).isTrue();
		});
		this.engine.resume("paused");
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void shutdownGivesARunningJobBackWithoutCountingTheAttempt() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		this.engine.register(handler("long", (payload, context) -> {
			started.countDown();
			Thread.sleep(60_000);
		}, retries(3), null, 1));
		this.engine.start();
		String id = this.engine.enqueue("long", null);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		this.engine.stop();
		QueuedJob job = this.engine.get(id).orElseThrow();
		assertThat(job.status()).isEqualTo(Status.READY);
		assertThat(job.attempts()).isZero();
		assertThat(this.history.recent("queue:long", 10)).singleElement().satisfies((execution) -> {
			assertThat(execution.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
			assertThat(execution.errorMessage()).startsWith("shutdown");
		});
	}

	@Test
	void stopRecordsTheEndOfJobsThatSucceededJustBefore() throws Exception {
		CountDownLatch ran = new CountDownLatch(20);
		this.engine.register(handler("quick", (payload, context) -> ran.countDown(), RetryPolicy.NONE, null, 4));
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(this.engine.enqueue("quick", new Mail("x", i)));
		}
		this.engine.start();
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		this.engine.stop();
		assertThat(ids).allSatisfy((id) -> assertThat(this.engine.get(id)).get()
			.extracting(QueuedJob::status)
			.isEqualTo(Status.SUCCEEDED));
	}

	@Test
	void aJobKeepsMetadataWithItsAttempt() throws Exception {
		this.engine.register(new HandlerDefinition("meta", null, (payload, context) -> context.put("rows", 42),
				null, RetryPolicy.NONE, 1, true, "test"));
		this.engine.start();
		String id = this.engine.enqueue("meta", new Mail("ignored", 0));
		this.engine.outcome(id, Duration.ofSeconds(5)).get();
		assertThat(this.history.recent("queue:meta", 1).get(0).metadata()).containsEntry("rows", "42");
	}

	@Test
	void aDisabledHandlerRunsNothing() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		this.engine.register(new HandlerDefinition("off", null, (payload, context) -> calls.incrementAndGet(),
				null, RetryPolicy.NONE, 1, false, "test"));
		this.engine.start();
		this.engine.enqueue("off", null);
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() == 0);
		assertThat(this.engine.size("off")).isEqualTo(1);
	}

	@Test
	void contextSaysCancelledAfterTimeout() throws Exception {
		CountDownLatch cancelled = new CountDownLatch(1);
		this.engine.register(new HandlerDefinition("busy", null, (payload, context) -> {
			JobContext ctx = context;
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (!ctx.isCancelled() && System.nanoTime() < end) {
				Thread.onSpinWait();
			}
			if (ctx.isCancelled()) {
				cancelled.countDown();
			}
		}, Duration.ofMillis(50), RetryPolicy.NONE, 1, true, "test"));
		this.engine.start();
		this.engine.enqueue("busy", null);
		assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
	}

}
