package io.tickwork.redis;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.JobDefinition;
import io.tickwork.JobInfo;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.schedule.Schedule;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the engine reads of many jobs on Redis (their last fires at start, their pause and
 * last execution for a listing) is asked for together and travels in a few script calls,
 * not one round trip per job and read.
 */
class RedisEngineReadsTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final int JOBS = 500;

	/** Daily jobs, at midnight UTC: none is due while a test runs, but within seconds of midnight. */
	private static final Duration DAY = Duration.ofDays(1);

	/** Midnight two days ago: the fires after it, yesterday's and today's, are in the past. */
	private static final Instant CLAIMED = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));

	private final List<AutoCloseable> resources = new ArrayList<>();

	private RedisJobStore store;

	private TickworkEngine engine;

	private final Map<String, Integer> runs = new ConcurrentHashMap<>();

	@BeforeEach
	void open() throws IOException {
		redis.flushAll();
		this.store = RedisTestEngines.store(redis.connectionFactory(), Duration.ofSeconds(5), this.resources);
		this.engine = RedisTestEngines.countingInstance(this.store, "a", JOBS, DAY, this.runs,
				this.resources);
	}

	@AfterEach
	void close() throws Exception {
		this.engine.stop();
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void startAndAListingReadEveryJobInAFewScriptCalls() throws IOException {
		RedisJobStateStore state = new RedisJobStateStore(this.store);
		state.claimFire("job-7", CLAIMED);
		state.pause("job-9");
		redis.command("CONFIG", "RESETSTAT");

		this.engine.start();
		long startCalls = scriptCalls();
		List<JobInfo> jobs = this.engine.jobs();
		long listingCalls = scriptCalls() - startCalls;

		assertThat(jobs).hasSize(JOBS).allSatisfy((job) -> assertThat(job.nextFireTime()).isNotNull());
		// the fires after the one the cluster claimed are found although they are in the past,
		// and the latest runs once (the misfire policy); jobs without a claimed fire wait
		Instant latestMissed = Instant.now().truncatedTo(ChronoUnit.DAYS);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.containsKey("job-7@" + latestMissed));
		assertThat(this.runs).containsOnly(Map.entry("job-7@" + latestMissed, 1));
		assertThat(jobs).filteredOn(JobInfo::paused).extracting(JobInfo::name).containsExactly("job-9");
		// one read per job at start, two per job for the listing: hundreds of reads each
		assertThat(startCalls).isLessThan(JOBS / 10);
		assertThat(listingCalls).isLessThan(JOBS / 10);
		// a look-up by id reads every job's history: in batches, not one job after another
		long before = scriptCalls();
		assertThat(this.engine.execution("no-such-execution")).isEmpty();
		assertThat(scriptCalls() - before).isLessThan(JOBS / 5);
		String ran = this.engine.history("job-7", 1).get(0).id();
		assertThat(this.engine.execution(ran)).hasValueSatisfying((execution) -> assertThat(execution.job()).isEqualTo("job-7"));
	}

	@Test
	void scheduleOnARunningEngineAnswersWithWhatTheClusterKnowsOfTheJob() {
		this.engine.start();
		RedisJobStateStore state = new RedisJobStateStore(this.store);
		state.claimFire("late", CLAIMED);
		state.pause("late");
		Schedule daily = Schedule.every(DAY, Duration.ZERO);

		JobInfo info = this.engine.schedule("late", daily, (context) -> this.runs.merge("late", 1, Integer::sum));
		assertThat(info.paused()).isTrue();

		this.engine.schedule("again", daily, (context) -> this.runs.merge("again", 1, Integer::sum));
		state.claimFire("again", CLAIMED);
		this.engine.schedule("again", daily, (context) -> this.runs.merge("again", 1, Integer::sum));
		// the fires missed since the claimed one are found and run once; the paused job's are not run
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.containsKey("again"));
		assertThat(this.runs).containsOnly(Map.entry("again", 1));
	}

	@Test
	void scheduleAllReadsEveryJobInAFewScriptCalls() throws IOException {
		this.engine.start();
		RedisJobStateStore state = new RedisJobStateStore(this.store);
		state.pause("tenant-3");
		List<JobDefinition> tenants = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			tenants.add(JobDefinition.builder("tenant-" + i, Schedule.every(DAY, Duration.ZERO), (context) -> {
			}).build());
		}
		long before = scriptCalls();
		List<JobInfo> scheduled = this.engine.scheduleAll(tenants);
		// two reads per job (pause, last execution) and a last fire each when armed: hundreds of reads
		assertThat(scriptCalls() - before).isLessThan(JOBS / 10);
		assertThat(scheduled).hasSize(JOBS).filteredOn(JobInfo::paused).extracting(JobInfo::name)
			.containsExactly("tenant-3");
		assertThat(this.engine.jobs()).hasSize(2 * JOBS);
	}

	private static long scriptCalls() throws IOException {
		long calls = 0;
		for (String line : redis.command("INFO", "commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
				calls += Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
			}
		}
		return calls;
	}

}
