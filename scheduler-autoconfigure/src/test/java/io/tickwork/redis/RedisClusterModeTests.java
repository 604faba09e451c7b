package io.tickwork.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.test.RedisCluster;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tickwork on a real Redis Cluster of three masters and three replicas: each fire runs
 * once across instances, a pause holds on all of them, the history is shared; and when a
 * master is killed, the jobs whose slots live on the other masters go on without a gap
 * while those of the dead master resume once its replica is promoted.
 */
class RedisClusterModeTests {

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static final int JOBS = 24;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<TickworkEngine> engines = new ArrayList<>();

	private final Map<String, Integer> runsPerFire = new ConcurrentHashMap<>();

	private RedisCluster cluster;

	private ClientResources clientResources;

	@BeforeEach
	void open() throws Exception {
		this.cluster = RedisCluster.start();
		this.clientResources = RedisServer.tickworkClientResources();
	}

	@AfterEach
	void close() throws Exception {
		this.engines.forEach(TickworkEngine::stop);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.clientResources.shutdown();
		this.cluster.close();
	}

	private TickworkEngine engine(int index) {
		RedisJobStore store = RedisTestEngines.store(this.cluster.connectionFactory(this.clientResources), Duration.ofSeconds(1), this.resources);
		TickworkEngine engine = RedisTestEngines.countingInstance(store, "node-" + index, JOBS, INTERVAL,
				this.runsPerFire, this.resources);
		this.engines.add(engine);
		return engine;
	}

	private static int slot(String job) {
		return SlotHash.getSlot(new SlotGroups(RedisJobStore.Settings.DEFAULT_SLOT_GROUPS).tagOf(job));
	}

	@Test
	void eachFireRunsOnceAcrossInstancesAndAPauseHoldsOnAll() throws Exception {
		for (int i = 0; i < 3; i++) {
			engine(i);
		}
		this.engines.forEach(TickworkEngine::start);
		Instant start = Instant.now();
		Thread.sleep(3000);
		Instant pausing = Instant.now();
		this.engines.get(0).pause("job-0");
		assertThat(this.engines.get(2).job("job-0").paused()).isTrue();
		Thread.sleep(2000);
		Instant resuming = Instant.now();
		this.engines.get(1).resume("job-0");
		Thread.sleep(1500);
		Instant end = Instant.now();
		this.engines.forEach(TickworkEngine::stop);
		assertThat(this.runsPerFire).allSatisfy((fire, runs) -> assertThat(runs).as(fire).isEqualTo(1));
		for (int i = 0; i < JOBS; i++) {
			String job = "job-" + i;
			List<JobExecution> records = this.engines.get(1).history(job, 1000);
			assertThat(records).extracting(JobExecution::scheduledTime).doesNotHaveDuplicates();
			for (Instant fire = next(start.plusSeconds(1)); fire.isBefore(end.minusSeconds(1)); fire = fire.plus(INTERVAL)) {
				Instant scheduled = fire;
				// a fire claimed around the pause or the resume may fall on either side of it; one
				// that an instance on standby claims (up to 200 ms late) may too
				boolean affected = job.equals("job-0") && fire.isAfter(pausing.minusMillis(300))
						&& fire.isBefore(resuming.plusMillis(100));
				boolean paused = affected && fire.isAfter(pausing.plusMillis(100)) && fire.isBefore(resuming.minusMillis(300));
				assertThat(records).as("%s's record of its fire at %s (paused from %s to %s)", job, fire, pausing, resuming)
					.filteredOn((e) -> e.scheduledTime().equals(scheduled))
					.singleElement()
					.satisfies((e) -> {
						if (paused || (affected && e.status() == ExecutionStatus.SKIPPED)) {
							assertThat(e.status()).isEqualTo(ExecutionStatus.SKIPPED);
							assertThat(e.errorMessage()).isEqualTo("paused");
						}
						else {
							assertThat(e.status()).as(e.errorMessage()).isEqualTo(ExecutionStatus.SUCCEEDED);
						}
					});
			}
		}
	}

	@Test
	void aKilledMasterStopsOnlyTheJobsOfItsSlotsUntilItsReplicaIsPromoted() throws Exception {
		for (int i = 0; i < 2; i++) {
			engine(i);
		}
		this.engines.forEach(TickworkEngine::start);
		Thread.sleep(3000);
		RedisCluster.Node victim = this.cluster.masterOf(slot("job-0"));
		List<String> victims = new ArrayList<>();
		List<String> others = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			String job = "job-" + i;
			(this.cluster.masterOf(slot(job)).port == victim.port ? victims : others).add(job);
		}
		assertThat(others).as("jobs on the other masters").isNotEmpty();
		Instant killed = Instant.now();
		victim.kill();
		// the cluster fails the master over once the node timeout passes
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> this.cluster.masterOf(slot("job-0")).port != victim.port);
		Instant promoted = Instant.now();
		Thread.sleep(6000);
		Instant end = Instant.now();
		this.engines.forEach(TickworkEngine::stop);
		assertThat(this.runsPerFire).allSatisfy((fire, runs) -> assertThat(runs).as(fire).isEqualTo(1));
		for (String job : others) {
			for (Instant fire = next(killed.minusSeconds(1)); fire.isBefore(end.minusSeconds(1)); fire = fire.plus(INTERVAL)) {
				assertThat(this.runsPerFire.get(job + "@" + fire))
					.as("%s (on a live master), fire at %s, %s after the kill", job, fire, Duration.between(killed, fire))
					.isEqualTo(1);
			}
		}
		for (String job : victims) {
			for (Instant fire = next(promoted.plusSeconds(2)); fire.isBefore(end.minusSeconds(1)); fire = fire.plus(INTERVAL)) {
				assertThat(this.runsPerFire.get(job + "@" + fire))
					.as("%s (on the killed master), fire at %s, %s after the promotion", job, fire,
							Duration.between(promoted, fire))
					.isEqualTo(1);
			}
		}
	}

	private static Instant next(Instant after) {
		long period = INTERVAL.toMillis();
		return Instant.ofEpochMilli((after.toEpochMilli() / period + 1) * period);
	}

}
