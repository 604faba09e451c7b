package io.tickwork.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances on one Redis (with persistence) through outages longer than every
 * threshold they have (command timeout 1 s, misfire threshold 2 s, lock time to live
 * 5 s): Redis killed and back 10 s later, and Redis paused for 10 s. No fire runs twice,
 * every due fire has a record, fencing tokens follow fire order, and every job runs again
 * within about 2 s of Redis answering.
 */
class RedisOutageTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer(true);

	private static final int JOBS = 30;

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static final Duration OUTAGE = Duration.ofSeconds(10);

	/** How soon after Redis answers again every job runs again. */
	private static final Duration RECOVERY = Duration.ofMillis(2500);

	private static final Pattern MISSED = Pattern.compile("fire\\(s\\) missed from (\\S+) to ([^;\\s]+)");

	/** A superseded fire's record stands for the unclaimed fires from its own to the one it names. */
	private static final Pattern SUPERSEDED_UNTIL = Pattern.compile("stands for every fire from this one to (\\S+) that no instance");

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<TickworkEngine> engines = new ArrayList<>();

	private final List<RedisJobStore> stores = new ArrayList<>();

	private final Map<String, Integer> runsPerFire = new ConcurrentHashMap<>();

	private ClientResources clientResources;

	@BeforeEach
	void open() throws Exception {
		redis.start();
		redis.flushAll();
		this.clientResources = RedisServer.tickworkClientResources();
	}

	@AfterEach
	void close() throws Exception {
		redis.start();
		this.engines.forEach(TickworkEngine::stop);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.clientResources.shutdown();
	}

	private TickworkEngine engine(int index) {
		RedisJobStore store = RedisTestEngines.store(redis.bootConnectionFactory(this.clientResources), Duration.ofSeconds(1), this.resources);
		this.stores.add(store);
		TickworkEngine engine = RedisTestEngines.countingInstance(store, "node-" + index, JOBS, INTERVAL,
				this.runsPerFire, this.resources);
		this.engines.add(engine);
		return engine;
	}

	@Test
	void aCrashOfRedisForTenSecondsLosesNoFireAndRunsNoneTwice() throws Exception {
		survives(() -> {
			redis.kill();
			Thread.sleep(OUTAGE.toMillis());
			redis.start();
		});
	}

	@Test
	void aPauseOfRedisForTenSecondsLeavesNoLockHeldByAClaimNobodyWaitsFor() throws Exception {
		survives(() -> {
			redis.pause(OUTAGE);
			Thread.sleep(OUTAGE.toMillis());
		});
	}

	private void survives(Fault fault) throws Exception {
		for (int i = 0; i < 3; i++) {
			engine(i);
		}
		this.engines.forEach(TickworkEngine::start);
		Instant start = Instant.now();
		Thread.sleep(3000);
		fault.inject();
		Instant back = Instant.now();
		Thread.sleep(8000);
		Instant end = Instant.now();
		this.engines.forEach(TickworkEngine::stop);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.stores.stream().allMatch((store) -> store.buffered() == 0));
		assertThat(this.runsPerFire).as("fires that ran more than once")
			.allSatisfy((fire, runs) -> assertThat(runs).as(fire).isEqualTo(1));
		Instant from = start.plusSeconds(2);
		Instant to = end.minusSeconds(2);
		for (int i = 0; i < JOBS; i++) {
			String job = "job-" + i;
			List<JobExecution> records = this.engines.get(0).history(job, 1000);
			Set<Instant> recorded = new HashSet<>();
			for (JobExecution record : records) {
				recorded.add(record.scheduledTime());
				Matcher missed = MISSED.matcher((record.errorMessage() != null) ? record.errorMessage() : "");
				if (missed.find()) {
					for (Instant fire = Instant.parse(missed.group(1)); !fire.isAfter(Instant.parse(missed.group(2)));
							fire = fire.plus(INTERVAL)) {
						recorded.add(fire);
					}
				}
				Matcher until = SUPERSEDED_UNTIL.matcher((record.errorMessage() != null) ? record.errorMessage() : "");
				if (until.find()) {
					for (Instant fire = record.scheduledTime(); fire.isBefore(Instant.parse(until.group(1)));
							fire = fire.plus(INTERVAL)) {
						recorded.add(fire);
					}
				}
			}
			for (Instant fire = firstFire(from); fire.isBefore(to); fire = fire.plus(INTERVAL)) {
				assertThat(recorded).as("%s's fire at %s has a record (Redis back at %s)", job, fire, back)
					.contains(fire);
				if (fire.isAfter(back.plus(RECOVERY))) {
					assertThat(this.runsPerFire).as("%s's fire at %s, %s after Redis answered again", job, fire,
							Duration.between(back, fire))
						.containsEntry(job + "@" + fire, 1);
				}
			}
			List<JobExecution> succeeded = records.stream()
				.filter((e) -> e.status() == ExecutionStatus.SUCCEEDED)
				.sorted(Comparator.comparing(JobExecution::scheduledTime))
				.toList();
			for (int k = 1; k < succeeded.size(); k++) {
				assertThat(succeeded.get(k).fencingToken()).as("fencing tokens of %s in fire order", job)
					.isGreaterThan(succeeded.get(k - 1).fencingToken());
			}
		}
	}

	private static Instant firstFire(Instant after) {
		long period = INTERVAL.toMillis();
		return Instant.ofEpochMilli((after.toEpochMilli() / period + 1) * period);
	}

	@FunctionalInterface
	private interface Fault {

		void inject() throws Exception;

	}

}
