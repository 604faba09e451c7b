package io.tickwork.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.Backoff;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobRequest;
import io.tickwork.QueuedJob;
import io.tickwork.RetryPolicy;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.queue.HandlerDefinition;
import io.tickwork.queue.JsonCodec;
import io.tickwork.queue.QueueEngine;
import io.tickwork.queue.QueueSettings;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Queued jobs on a real Redis with several instances: a queue drained by three engines,
 * a producer that runs nothing, and a worker JVM killed with jobs running.
 */
class RedisQueueEngineTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final List<RedisStoreSupport> supports = new ArrayList<>();

	private final List<QueueEngine> engines = new ArrayList<>();

	private final InMemoryJobHistory history = new InMemoryJobHistory(Clock.systemUTC(), 10_000, Duration.ofHours(1));

	@BeforeEach
	void flush() throws IOException {
		redis.flushAll();
	}

	@AfterEach
	void close() {
		this.engines.forEach(QueueEngine::stop);
		this.supports.forEach(RedisStoreSupport::close);
	}

	private QueueEngine engine(String instance, Duration lease) throws IOException {
		RedisStoreSupport support = new RedisStoreSupport(redis, 10);
		support.openKeepingData(Clock.systemUTC());
		this.supports.add(support);
		QueueEngine engine = QueueEngine.builder()
			.store(new RedisQueueStore(support.store()), true)
			.codec(new JsonCodec())
			.history(this.history)
			.instanceId(instance)
			.lease(lease)
			.settings((type) -> QueueSettings.DEFAULTS)
			.shutdownTimeout(Duration.ofSeconds(2))
			.build();
		this.engines.add(engine);
		return engine;
	}

	private static RetryPolicy attempts(int max) {
		return new RetryPolicy(max, Backoff.FIXED, Duration.ZERO, 1, Duration.ZERO, 0);
	}

	@Test
	void threeInstancesDrainOneQueueRunningEachJobOnce() throws Exception {
		Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
		for (String instance : List.of("a", "b", "c")) {
			QueueEngine engine = engine(instance, Duration.ofSeconds(30));
			AtomicInteger running = new AtomicInteger();
			engine.register(new HandlerDefinition("work", Integer.class, (payload, context) -> {
				most.computeIfAbsent(instance, (n) -> new AtomicInteger()).accumulateAndGet(running.incrementAndGet(),
						Math::max);
				runs.computeIfAbsent((Integer) payload, (n) -> new AtomicInteger()).incrementAndGet();
				byInstance.computeIfAbsent(instance, (n) -> new AtomicInteger()).incrementAndGet();
				Thread.sleep(2);
				running.decrementAndGet();
			}, null, attempts(1), 4, true, instance));
			engine.start();
		}
		QueueEngine producer = this.engines.get(0);
		for (int i = 0; i < 600; i++) {
			producer.enqueue("work", i);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 600 && producer.size("work") == 0);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		assertThat(byInstance).containsOnlyKeys("a", "b", "c");
		assertThat(byInstance.values()).allSatisfy((count) -> assertThat(count.get()).isGreaterThan(30));
		// claims under way at once share the free slots: never more than the concurrency
		assertThat(most.values()).allSatisfy((peak) -> assertThat(peak.get()).isBetween(1, 4));
	}

	@Test
	void aListOfTwoTypesIsEnqueuedAtOnceAndEachJobRunsOnce() throws Exception {
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		QueueEngine worker = engine("worker", Duration.ofSeconds(30));
		for (String type : List.of("mail", "sms")) {
			worker.register(new HandlerDefinition(type, Integer.class, (payload, context) -> runs
				.computeIfAbsent(type + payload, (n) -> new AtomicInteger()).incrementAndGet(), null, attempts(1), 8,
					true, "worker"));
		}
		worker.start();
		QueueEngine producer = engine("producer", Duration.ofSeconds(30));
		List<io.tickwork.JobRequest> requests = new java.util.ArrayList<>();
		for (int i = 0; i < 1500; i++) {
			requests.add(io.tickwork.JobRequest.of((i % 3 == 0) ? "sms" : "mail", i).id("n" + i));
		}
		// one id twice: the second gives the first job's id
		requests.add(io.tickwork.JobRequest.of("mail", -1).id("n1"));
		List<String> ids = producer.enqueueAll(requests);
		assertThat(ids).hasSize(1501).startsWith("n0", "n1", "n2").endsWith("n1498", "n1499", "n1");
		await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 1500 && producer.size("mail") == 0
				&& producer.size("sms") == 0);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		assertThat(runs).doesNotContainKey("mail-1");
	}

	@Test
	void aProducerWithoutHandlersEnqueuesAndSeesTheOutcomeOfAJobRunElsewhere() throws Exception {
		QueueEngine worker = engine("worker", Duration.ofSeconds(30));
		worker.register(new HandlerDefinition("resize", String.class, (payload, context) -> context.put("size",
				((String) payload).length()), null, attempts(1), 2, true, "worker"));
		worker.start();
		QueueEngine producer = engine("api", Duration.ofSeconds(30));
		producer.start();
		String id = producer.enqueue(JobRequest.of("resize", "photo.png").id("resize-1"));
		QueuedJob done = producer.outcome(id, Duration.ofSeconds(10)).get();
		assertThat(done.status()).isEqualTo(QueuedJob.Status.SUCCEEDED);
		assertThat(done.instance()).isEqualTo("worker");
		assertThat(producer.get(id)).get().extracting(QueuedJob::type).isEqualTo("resize");
		assertThat(producer.queues()).extracting((info) -> info.type() + " " + info.handled())
			.containsExactly("resize false");
	}

	@Test
	void aDelayedJobStartsOnTimeOnAnIdleInstance() throws Exception {
		long[] started = new long[1];
		QueueEngine worker = engine("worker", Duration.ofSeconds(30));
		worker.register(new HandlerDefinition("later", null, (payload, context) -> started[0] = System.currentTimeMillis(),
				null, attempts(1), 1, true, "worker"));
		worker.start();
		QueueEngine producer = engine("api", Duration.ofSeconds(30));
		// the worker subscribes to notices asynchronously: let its subscription settle
		Thread.sleep(100);
		long at = System.currentTimeMillis() + 500;
		producer.enqueue(JobRequest.of("later", null).at(java.time.Instant.ofEpochMilli(at)));
		await().atMost(Duration.ofSeconds(5)).until(() -> started[0] != 0);
		assertThat(started[0] - at).isBetween(0L, 100L);
	}

	@Test
	void jobsOfAKilledJvmAreDeliveredAgainAndItsAttemptsRecordedAbandoned() throws Exception {
		QueueEngine producer = engine("producer", Duration.ofSeconds(30));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ids.add(producer.enqueue("crash", i));
		}
		Process child = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
				System.getProperty("java.class.path"), QueueWorkerMain.class.getName(), String.valueOf(redis.port()),
				"crash", "4", "2000")
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.contains("STARTED")) {
				// wait for the worker
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> producer.queues().get(0).running() == 4);
		}
		finally {
			child.destroyForcibly().waitFor();
		}
		Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
		QueueEngine survivor = engine("survivor", Duration.ofSeconds(30));
		survivor.register(new HandlerDefinition("crash", Integer.class,
				(payload, context) -> runs.computeIfAbsent((Integer) payload, (n) -> new AtomicInteger())
					.incrementAndGet(), null, attempts(3), 4, true, "survivor"));
		survivor.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> runs.size() == 10 && survivor.size("crash") == 0);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		List<QueuedJob> jobs = ids.stream().map((id) -> survivor.get("crash", id).orElseThrow()).toList();
		assertThat(jobs).allSatisfy((job) -> assertThat(job.status()).isEqualTo(QueuedJob.Status.SUCCEEDED));
		assertThat(jobs).filteredOn((job) -> job.attempts() == 2).hasSize(4);
		List<JobExecution> abandoned = this.history.recent("queue:crash", 100)
			.stream()
			.filter((execution) -> execution.status() == ExecutionStatus.ABANDONED)
			.toList();
		assertThat(abandoned).hasSize(4).allSatisfy((execution) -> {
			assertThat(execution.instanceId()).isEqualTo("doomed");
			assertThat(execution.errorMessage()).contains("attempt 1 abandoned");
		});
	}

}
