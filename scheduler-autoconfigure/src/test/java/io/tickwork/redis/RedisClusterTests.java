package io.tickwork.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.engine.TickworkEngineBuilder;
import io.tickwork.schedule.Schedule;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several engines, each with its own threads, instance id and skewed clock, share one
 * Redis: every fire runs exactly once, and a pause through one instance holds on all.
 */
class RedisClusterTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final Duration INTERVAL = Duration.ofMillis(250);

	private static final Duration[] SKEWS = { Duration.ZERO, Duration.ofMillis(300), Duration.ofMillis(-450) };

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<TickworkEngine> engines = new ArrayList<>();

	private StringRedisTemplate markers;

	@BeforeEach
	void open() throws Exception {
		redis.flushAll();
		LettuceConnectionFactory factory = redis.connectionFactory();
		this.resources.add(factory::destroy);
		this.markers = new StringRedisTemplate(factory);
	}

	@AfterEach
	void close() throws Exception {
		this.engines.forEach(TickworkEngine::stop);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	private TickworkEngine engine(int index, Consumer<TickworkEngine> jobs) {
		return engine(index, jobs, (builder) -> {
		});
	}

	private TickworkEngine engine(int index, Consumer<TickworkEngine> jobs, Consumer<TickworkEngineBuilder> options) {
		LettuceConnectionFactory factory = redis.connectionFactory();
		this.resources.add(factory::destroy);
		RedisJobStore store = new RedisJobStore(new StringRedisTemplate(factory),
				new RedisJobStore.Settings("tickwork:", Duration.ofSeconds(1), 64, 1000, Duration.ofHours(1), 1000),
				Clock.systemUTC());
		this.resources.add(store);
		ExecutorService executor = Executors.newFixedThreadPool(4);
		this.resources.add(executor::shutdownNow);
		TickworkEngineBuilder builder = TickworkEngine.builder()
			.clock(Clock.offset(Clock.systemUTC(), SKEWS[index]))
			.executor(executor)
			.lock(new RedisJobLock(store, true))
			.history(new RedisJobHistory(store))
			.state(new RedisJobStateStore(store))
			.instanceId("node-" + index)
			.tickInterval(Duration.ofMillis(100))
			.lockTtl(Duration.ofSeconds(3))
			.maxConcurrent(8)
			.maintenance(store::maintain);
		options.accept(builder);
		TickworkEngine engine = builder.build();
		jobs.accept(engine);
		this.engines.add(engine);
		return engine;
	}

	private void countingJobs(TickworkEngine engine, int count) {
		for (int i = 0; i < count; i++) {
			String job = "job-" + i;
			engine.register(JobDefinition.builder(job, Schedule.every(INTERVAL, Duration.ZERO), (ctx) -> {
				String marker = "marker:{" + job + "}:" + ctx.scheduledTime().toEpochMilli();
				// a non-atomic read-then-write would hide nothing: INCR counts every run
				this.markers.opsForValue().increment(marker);
				this.markers.opsForHash().increment("owners", ctx.jobName().equals(job) ? engine.instanceId() : "?", 1);
			}).build());
		}
	}

	@Test
	void everyFireRunsExactlyOnceAcrossSkewedInstances() throws Exception {
		int jobs = 20;
		for (int i = 0; i < SKEWS.length; i++) {
			countingJobs(engine(i, (engine) -> {
			}), jobs);
		}
		this.engines.forEach(TickworkEngine::start);
		// fires before the last engine started are nobody's: starting reads each job's last fire
		Instant start = Instant.now();
		Thread.sleep(4000);
		Instant end = Instant.now();
		this.engines.forEach(TickworkEngine::stop);
		long from = (start.toEpochMilli() / INTERVAL.toMillis() + 4) * INTERVAL.toMillis();
		long to = (end.toEpochMilli() / INTERVAL.toMillis() - 4) * INTERVAL.toMillis();
		int expected = 0;
		int ran = 0;
		for (int i = 0; i < jobs; i++) {
			String job = "job-" + i;
			List<JobExecution> records = this.engines.get(0).history(job, 1000);
			for (long fire = from; fire <= to; fire += INTERVAL.toMillis()) {
				Instant scheduled = Instant.ofEpochMilli(fire);
				String count = this.markers.opsForValue().get("marker:{" + job + "}:" + fire);
				List<JobExecution> ofFire = records.stream().filter((e) -> e.scheduledTime().equals(scheduled)).toList();
				// each fire runs once, or, when its claim found the previous execution still holding the
				// lock (a loaded machine), is recorded skipped once: never run twice, never lost silently
				assertThat(ofFire).as("records of %s's fire at %s (runs: %s)", job, scheduled, count)
					.singleElement()
					.satisfies((execution) -> assertThat(execution.status())
						.isEqualTo((count != null) ? ExecutionStatus.SUCCEEDED : ExecutionStatus.SKIPPED));
				if (count != null) {
					assertThat(count).as("runs of %s's fire at %s", job, scheduled).isEqualTo("1");
					ran++;
				}
				else {
					assertThat(ofFire.get(0).errorMessage()).isIn("locked", "overlap");
				}
				expected++;
			}
		}
		assertThat(ran).as("fires run of %d", expected).isGreaterThan(expected / 2);
		Set<String> all = this.markers.keys("marker:*");
		for (String key : all) {
			assertThat(this.markers.opsForValue().get(key)).as(key).isEqualTo("1");
		}
		assertThat(expected).isGreaterThanOrEqualTo(140);
		Map<Object, Object> owners = this.markers.opsForHash().entries("owners");
		assertThat(owners.keySet()).isNotEmpty().doesNotContain("?");
		List<JobExecution> history = this.engines.get(0).history("job-0", 1000);
		assertThat(history).filteredOn((e) -> e.status() == ExecutionStatus.SUCCEEDED)
			.extracting(JobExecution::scheduledTime)
			.doesNotHaveDuplicates();
	}

	@Test
	void aRestartOfTheWholeClusterAppliesTheMisfirePolicyToTheFiresItMissed() throws Exception {
		Consumer<TickworkEngine> job = (engine) -> engine.register(JobDefinition
			.builder("every-second", Schedule.cron("* * * * * *"), (ctx) -> {
			})
			.build());
		Consumer<TickworkEngineBuilder> threshold = (builder) -> builder.misfireThreshold(Duration.ofSeconds(1));
		TickworkEngine first = engine(0, job, threshold);
		first.start();
		await().until(() -> first.history("every-second", 10).stream().anyMatch((e) -> e.status().isFinished()));
		first.stop();
		Thread.sleep(3500);
		TickworkEngine second = engine(1, job, threshold);
		second.start();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> second.history("every-second", 100)
				.stream()
				.anyMatch((e) -> e.trigger() == JobExecution.Trigger.MISFIRE && e.instanceId().equals("node-1")));
	}

	@Test
	void pausedJobIsSkippedOnEveryInstanceAndRecordedOncePerFire() throws Exception {
		for (int i = 0; i < SKEWS.length; i++) {
			countingJobs(engine(i, (engine) -> {
			}), 1);
		}
		this.engines.forEach(TickworkEngine::start);
		await().until(() -> !this.engines.get(1).history("job-0", 1).isEmpty());
		this.engines.get(0).pause("job-0");
		assertThat(this.engines.get(2).job("job-0").paused()).isTrue();
		Thread.sleep(200);
		Instant pausedFrom = Instant.now().plus(Duration.ofMillis(500));
		Thread.sleep(1500);
		this.engines.get(2).resume("job-0");
		Instant pausedUntil = Instant.now().minus(Duration.ofMillis(500));
		Thread.sleep(1000);
		List<JobExecution> history = this.engines.get(1).history("job-0", 1000);
		List<JobExecution> duringPause = history.stream()
			.filter((e) -> e.scheduledTime().isAfter(pausedFrom) && e.scheduledTime().isBefore(pausedUntil))
			.toList();
		assertThat(duringPause).isNotEmpty().allSatisfy((e) -> {
			assertThat(e.status()).isEqualTo(ExecutionStatus.SKIPPED);
			assertThat(e.errorMessage()).isEqualTo("paused");
		});
		assertThat(duringPause).extracting(JobExecution::scheduledTime).doesNotHaveDuplicates();
		// running executions come first; the latest finished one ran after the resume
		assertThat(history.stream().filter((e) -> e.status().isFinished()).findFirst())
			.hasValueSatisfying((e) -> assertThat(e.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
	}

}
