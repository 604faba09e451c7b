package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.history.JobHistory;
import io.tickwork.history.JobHistoryContractTests;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the {@link JobHistory} contract against {@link RedisJobHistory} on a real Redis.
 */
class RedisJobHistoryTests extends JobHistoryContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisStoreSupport support = new RedisStoreSupport(redis, MAX_PER_JOB);

	private RedisJobHistory history;

	@BeforeEach
	void open() throws IOException {
		this.support.open(Clock.fixed(T, ZoneOffset.UTC));
		this.history = new RedisJobHistory(this.support.store());
	}

	@AfterEach
	void close() {
		this.support.close();
	}

	@Override
	protected JobHistory history() {
		return this.history;
	}

	@Test
	void errorsWithQuotesAndNewlinesRoundTrip() {
		JobExecution execution = execution("a", "job", 1, ExecutionStatus.FAILED, 10,
				"java.lang.IllegalStateException: \"quoted\" | piped\nsecond line \\ backslash é");
		this.history.record(execution);
		assertThat(this.history.recent("job", 1)).containsExactly(execution);
		assertThat(this.history.stats("job").lastError()).isEqualTo(execution.errorMessage());
	}

	@Test
	void metadataRoundTripsInOrderWithoutConfusingTheScript() {
		java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
		metadata.put("status", "FAILED");
		metadata.put("rows", "42");
		metadata.put("note", "\"quoted\", | piped, {braces} \"error\":\"x\",\"instance\"");
		JobExecution execution = execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 10, null).withMetadata(metadata);
		this.history.record(execution);
		JobExecution read = this.history.recent("job", 1).get(0);
		assertThat(read).isEqualTo(execution);
		assertThat(read.metadata().keySet()).containsExactly("status", "rows", "note");
		assertThat(this.history.stats("job").succeeded()).isEqualTo(1);
		assertThat(this.history.stats("job").failed()).isZero();
	}

	@Test
	void historyExpiresOnlyOnceNoInstanceMaintainsItsJob() throws Exception {
		this.history.record(execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 10, null));
		long hour = Duration.ofHours(1).toMillis();
		assertThat(Long.parseLong(redis.command("PTTL", this.support.store().stateKey("job") + ":history"))).isBetween(hour - 5000, hour);
		redis.command("PEXPIRE", this.support.store().stateKey("job") + ":history", "5000");
		this.history.record(execution("b", "job", 2, ExecutionStatus.SUCCEEDED, 10, null));
		assertThat(Long.parseLong(redis.command("PTTL", this.support.store().stateKey("job") + ":history"))).isLessThanOrEqualTo(5000);
		this.support.store().maintain(Set.of("job"));
		assertThat(Long.parseLong(redis.command("PTTL", this.support.store().stateKey("job") + ":history"))).isBetween(hour - 5000, hour);
	}

	@Test
	void theStateOfAJobThatNoInstanceRunsAnyMoreExpiresWithItsHistory() throws Exception {
		this.history.record(execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 10, null));
		String state = this.support.store().stateKey("job");
		this.support.store().maintain(Set.of("job"));
		long hour = Duration.ofHours(1).toMillis();
		assertThat(Long.parseLong(redis.command("PTTL", state))).isBetween(hour - 5000, hour);
		redis.command("PEXPIRE", state, "5000");
		this.support.store().maintain(Set.of("job"));
		assertThat(Long.parseLong(redis.command("PTTL", state))).isBetween(hour - 5000, hour);
	}

	@Test
	void aRecordWrittenWithoutWaitingLeavesOnItsOwnSoon() {
		JobExecution execution = execution("a", "job", 1, ExecutionStatus.SUCCEEDED, 10, null);
		this.history.recordWithoutWaiting(execution);
		// it may wait a few milliseconds for company, not for other traffic
		await().atMost(Duration.ofSeconds(2)).until(() -> this.history.recent("job", 1).contains(execution));
	}

	@Test
	void queuedAttemptsOfOneJobSentTogetherArePushedAndCountedOnce() throws Exception {
		// a Redis without the script (restarted): records sent while the store loads it keep their order
		this.support.close();
		redis.command("SCRIPT", "FLUSH");
		this.support.openKeepingData(Clock.fixed(T, ZoneOffset.UTC));
		this.history = new RedisJobHistory(this.support.store());
		redis.command("CONFIG", "RESETSTAT");
		java.util.List<JobExecution> sent = new java.util.ArrayList<>();
		for (int i = 1; i <= 60; i++) {
			String job = (i % 2 == 0) ? "even" : "odd";
			boolean failed = i % 3 == 0;
			JobExecution attempt = new JobExecution("q" + i + "#" + i, job, T, T.plusSeconds(i),
					T.plusSeconds(i).plusMillis(i), failed ? ExecutionStatus.FAILED : ExecutionStatus.SUCCEEDED, 1,
					failed ? "boom " + i : null, "instance-a", i, JobExecution.Trigger.QUEUE);
			sent.add(attempt);
			this.history.recordWithoutWaiting(attempt);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.history.stats("even").total() == 30
				&& this.history.stats("odd").total() == 30);
		for (String job : java.util.List.of("even", "odd")) {
			java.util.List<JobExecution> expected = new java.util.ArrayList<>(
					sent.stream().filter((e) -> e.job().equals(job)).toList());
			java.util.Collections.reverse(expected);
			assertThat(this.history.recent(job, 100)).containsExactlyElementsOf(expected.subList(0, MAX_PER_JOB));
			io.tickwork.JobStats stats = this.history.stats(job);
			long failures = expected.stream().filter((e) -> e.status() == ExecutionStatus.FAILED).count();
			assertThat(stats.total()).isEqualTo(30);
			assertThat(stats.failed()).isEqualTo(failures);
			assertThat(stats.succeeded()).isEqualTo(30 - failures);
			assertThat(stats.lastError()).isEqualTo(job.equals("even") ? "boom 60" : "boom 57");
		}
		// each job's records of a call went in one push
		String pushes = redis.command("INFO", "commandstats").lines()
			.filter((line) -> line.startsWith("cmdstat_lpush:"))
			.findFirst()
			.orElseThrow();
		int calls = Integer.parseInt(pushes.substring(pushes.indexOf("calls=") + 6, pushes.indexOf(',')));
		assertThat(calls).isLessThan(60);
	}

	@Test
	void recordsWrittenWithoutWaitingReachRedisWhenTheStoreCloses() {
		for (int i = 1; i <= 3; i++) {
			this.history.recordWithoutWaiting(execution("r" + i, "job", i, ExecutionStatus.SUCCEEDED, 10, null));
		}
		// closed at once: the records still wait for company, and a new store was still connecting
		this.support.close();
		this.support.openKeepingData(Clock.fixed(T, ZoneOffset.UTC));
		this.history = new RedisJobHistory(this.support.store());
		assertThat(this.history.recent("job", 10)).extracting(JobExecution::id).containsExactly("r3", "r2", "r1");
	}

	@Test
	void recordsWrittenWhileRedisIsDownAreBufferedAndFlushedWhenItReturns() throws Exception {
		redis.stop();
		try {
			this.history.record(execution("a", "job", 1, ExecutionStatus.SKIPPED, 0, "store-unavailable"));
			this.history.record(execution("b", "job", 2, ExecutionStatus.SKIPPED, 0, "store-unavailable"));
			assertThat(this.support.store().buffered()).isEqualTo(2);
		}
		finally {
			redis.start();
		}
		this.support.store().maintain(java.util.Set.of());
		assertThat(this.support.store().buffered()).isZero();
		assertThat(this.history.recent("job", 10)).extracting(JobExecution::id).containsExactly("b", "a");
	}



	@Test
	void recordsSentWithoutWaitingOverManyCallsReachRedisInTheOrderTheyWereWritten() {
		// slower than the linger, so that the linger timer and the writer both send calls
		RedisStoreSupport large = new RedisStoreSupport(redis, 1000);
		large.openKeepingData(Clock.fixed(T, ZoneOffset.UTC));
		try {
			RedisJobHistory history = new RedisJobHistory(large.store());
			for (int i = 1; i <= 1000; i++) {
				history.recordWithoutWaiting(new JobExecution("q" + i + "#" + i, "ordered", T, T.plusMillis(i),
						T.plusMillis(i), ExecutionStatus.SUCCEEDED, 1, null, "instance-a", i, JobExecution.Trigger.QUEUE));
				java.util.concurrent.locks.LockSupport.parkNanos(150_000);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> history.stats("ordered").total() == 1000);
			java.util.List<String> expected = new java.util.ArrayList<>();
			for (int i = 1000; i >= 1; i--) {
				expected.add("q" + i + "#" + i);
			}
			assertThat(history.recent("ordered", 1000)).extracting(JobExecution::id).containsExactlyElementsOf(expected);
		}
		finally {
			large.close();
		}
	}
}
