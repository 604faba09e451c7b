package io.tickwork.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobTask;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.schedule.Schedule;
import io.tickwork.test.RecordingJobListener;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tickwork on Redis under faults: Redis down at startup, restarted mid-run, paused longer
 * than the lock's time to live, and an instance killed mid-job.
 */
class RedisFaultTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<TickworkEngine> engines = new ArrayList<>();

	private final RecordingJobListener listener = new RecordingJobListener();

	private final Map<String, Integer> runsPerFire = new ConcurrentHashMap<>();

	@BeforeEach
	void open() throws Exception {
		redis.start();
		redis.flushAll();
	}

	@AfterEach
	void close() throws Exception {
		redis.start();
		this.engines.forEach(TickworkEngine::stop);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	private RedisJobStore store(Duration commandTimeout) {
		LettuceConnectionFactory factory = redis.connectionFactory();
		this.resources.add(factory::destroy);
		RedisJobStore store = new RedisJobStore(new StringRedisTemplate(factory),
				new RedisJobStore.Settings("tickwork:", commandTimeout, 64, 1000, Duration.ofHours(1), 1000),
				Clock.systemUTC());
		this.resources.add(store);
		return store;
	}

	private TickworkEngine engine(String instance, RedisJobStore store, Duration lockTtl) {
		ExecutorService executor = Executors.newCachedThreadPool();
		this.resources.add(executor::shutdownNow);
		TickworkEngine engine = TickworkEngine.builder()
			.executor(executor)
			.lock(new RedisJobLock(store, true))
			.history(new RedisJobHistory(store))
			.state(new RedisJobStateStore(store))
			.listener(this.listener)
			.instanceId(instance)
			.tickInterval(Duration.ofMillis(100))
			.lockTtl(lockTtl)
			.shutdownTimeout(Duration.ofSeconds(2))
			.maintenance(store::maintain)
			.build();
		this.engines.add(engine);
		return engine;
	}

	private JobTask counting(JobTask work) {
		return (context) -> {
			this.runsPerFire.merge(context.jobName() + "@" + context.scheduledTime(), 1, Integer::sum);
			work.run(context);
		};
	}

	@Test
	void redisDownAtStartupSkipsFiresUntilItReturnsAndKeepsTheirRecords() throws Exception {
		redis.stop();
		RedisJobStore store = store(Duration.ofMillis(500));
		TickworkEngine engine = engine("node-a", store, Duration.ofSeconds(2));
		engine.register(JobDefinition.builder("ping", Schedule.every(Duration.ofMillis(250)), counting((ctx) -> {
		})).build());
		engine.start();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.listener.events().contains("skipped ping store-unavailable"));
		assertThat(engine.isRunning()).isTrue();
		// the skip's record is kept once its write has failed, at the store's deadline
		await().atMost(Duration.ofSeconds(5)).until(() -> store.buffered() > 0);
		redis.start();
		await().atMost(Duration.ofSeconds(15)).until(() -> this.listener.events().contains("succeeded ping"));
		await().atMost(Duration.ofSeconds(10)).until(() -> store.buffered() == 0);
		List<JobExecution> history = engine.history("ping", 1000);
		assertThat(history).anySatisfy((e) -> assertThat(e.errorMessage()).startsWith("store-unavailable"));
		assertThat(history).anySatisfy((e) -> assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
		assertThat(this.runsPerFire.values()).allMatch((runs) -> runs == 1);
	}

	@Test
	void redisRestartedMidRunIsSurvivedWithoutRestartingTheEngine() throws Exception {
		TickworkEngine engine = engine("node-a", store(Duration.ofMillis(1000)), Duration.ofSeconds(3));
		engine.register(JobDefinition.builder("ping", Schedule.every(Duration.ofMillis(200)), counting((ctx) -> {
		})).build());
		engine.start();
		await().until(() -> this.runsPerFire.size() >= 3);
		redis.restart();
		int before = this.runsPerFire.size();
		await().atMost(Duration.ofSeconds(15)).until(() -> this.runsPerFire.size() >= before + 5);
		assertThat(engine.isRunning()).isTrue();
		assertThat(this.runsPerFire.values()).allMatch((runs) -> runs == 1);
	}

	@Test
	void aClaimThatRedisDoesNotAnswerFailsAtTheStoresDeadlineWithoutWaitingForRedis() throws Exception {
		RedisJobLock lock = new RedisJobLock(store(Duration.ofMillis(300)), true);
		ClaimRequest warmUp = new ClaimRequest("warm-up", Instant.parse("2026-01-01T00:00:00Z"), Trigger.SCHEDULE,
				true, Duration.ofSeconds(5), "node-a", "e0", Instant.now(), false);
		assertThat(lock.claim(warmUp).status()).isEqualTo(Claim.Status.ACQUIRED);
		redis.pause(Duration.ofSeconds(4));
		ClaimRequest request = new ClaimRequest("job", Instant.parse("2026-01-01T00:00:00Z"), Trigger.SCHEDULE, true,
				Duration.ofSeconds(5), "node-a", "e1", Instant.now(), false);
		CompletableFuture<Claim> claim = lock.claimAsync(request, Runnable::run).toCompletableFuture();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> claim.get(3, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(QueryTimeoutException.class)
			.withMessage("Redis did not answer within 300ms");
		// once Redis answers again, so does the store
		ClaimRequest next = new ClaimRequest("job", Instant.parse("2026-01-01T00:00:01Z"), Trigger.SCHEDULE, true,
				Duration.ofSeconds(5), "node-a", "e2", Instant.now(), false);
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> lock.claimAsync(next, Runnable::run).toCompletableFuture().get().status() != null);
	}

	@Test
	void aPauseLongerThanTheLockTimeToLiveInterruptsTheJobAndRecordsWhy() throws Exception {
		RedisJobStore store = store(Duration.ofMillis(300));
		TickworkEngine holder = engine("holder", store, Duration.ofSeconds(1));
		TickworkEngine other = engine("other", store(Duration.ofMillis(300)), Duration.ofSeconds(1));
		AtomicBoolean longRunStarted = new AtomicBoolean();
		for (TickworkEngine engine : List.of(holder, other)) {
			engine.register(JobDefinition.builder("long", Schedule.every(Duration.ofSeconds(1), Duration.ZERO),
					counting((ctx) -> {
						boolean longRun = ctx.scheduledTime().toEpochMilli() % 2000 == 0;
						longRunStarted.compareAndSet(false, longRun);
						Thread.sleep(longRun ? 6000 : 10);
					}))
				.build());
		}
		holder.start();
		other.start();
		// pause Redis while a 6 s execution holds the lock, not a 10 ms one
		await().atMost(Duration.ofSeconds(10)).untilTrue(longRunStarted);
		Thread.sleep(200);
		redis.pause(Duration.ofMillis(2500));
		await().atMost(Duration.ofSeconds(15)).until(() -> this.listener.events().contains("interrupted long"));
		await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> holder.history("long", 100)
			.stream()
			.anyMatch((e) -> e.status() == ExecutionStatus.INTERRUPTED));
		JobExecution interrupted = holder.history("long", 100)
			.stream()
			.filter((e) -> e.status() == ExecutionStatus.INTERRUPTED)
			.findFirst()
			.orElseThrow();
		assertThat(interrupted.errorMessage()).startsWith("lock lost");
		assertThat(this.runsPerFire.values()).allMatch((runs) -> runs == 1);
	}

	@Test
	void anInstanceStoppedLongerThanItsLockTtlRecordsItsExecutionInterruptedByTheLostLock() throws Exception {
		// SIGSTOP for 5 s, past the 2 s lock time to live, of an instance whose job runs 4 s
		Process node = node("2000", "4000");
		String executionId = awaitRunning(node);
		signal(node, "STOP");
		Thread.sleep(5000);
		signal(node, "CONT");
		RedisJobHistory history = new RedisJobHistory(store(Duration.ofSeconds(1)));
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(history.recent("victim", 10))
			.filteredOn((e) -> e.id().equals(executionId))
			.singleElement()
			.satisfies((e) -> {
				assertThat(e.status()).isEqualTo(ExecutionStatus.INTERRUPTED);
				assertThat(e.errorMessage()).startsWith("lock lost");
			}));
	}

	private static void signal(Process process, String signal) throws Exception {
		assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor()).isZero();
	}

	private Process node(String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
				"-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(), String.valueOf(redis.port())));
		command.addAll(List.of(arguments));
		Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
		this.resources.add(node::destroyForcibly);
		return node;
	}

	/** Waits until a node started its job, and answers the execution's id. */
	private static String awaitRunning(Process node) throws Exception {
		java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = out.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (java.io.IOException ex) {
				// the node was killed
			}
		});
		reader.setDaemon(true);
		reader.start();
		String executionId = null;
		StringBuilder output = new StringBuilder();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (executionId == null && System.nanoTime() < deadline) {
			String line = lines.poll(100, TimeUnit.MILLISECONDS);
			if (line != null) {
				output.append(line).append('\n');
				if (line.startsWith("RUNNING ")) {
					executionId = line.substring(8);
				}
			}
		}
		assertThat(executionId).as("the node started its job; it printed:%n%s", output).isNotNull();
		return executionId;
	}

	@Test
	void anInstanceKilledMidJobLeavesAnAbandonedExecution() throws Exception {
		Process node = node("2000");
		String id = awaitRunning(node);
		node.destroyForcibly().waitFor();
		TickworkEngine survivor = engine("survivor", store(Duration.ofSeconds(1)), Duration.ofSeconds(2));
		survivor.register(JobDefinition.builder("victim", Schedule.cron("0 0 1 1 *"), (ctx) -> {
		}).build());
		await().ignoreExceptions()
			.untilAsserted(() -> assertThat(survivor.history("victim", 10)).extracting(JobExecution::status)
				.containsExactly(ExecutionStatus.RUNNING));
		survivor.start();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> survivor.history("victim", 10).get(0).status() == ExecutionStatus.ABANDONED);
		JobExecution abandoned = survivor.history("victim", 10).get(0);
		assertThat(abandoned.id()).isEqualTo(id);
		assertThat(abandoned.instanceId()).isEqualTo("doomed-node");
		assertThat(abandoned.errorMessage()).startsWith("abandoned");
		assertThat(abandoned.finishedAt()).isAfter(abandoned.startedAt());
		assertThat(survivor.stats("victim").failed()).isEqualTo(1);
	}

}
