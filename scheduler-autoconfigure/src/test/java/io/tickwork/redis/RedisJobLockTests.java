package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.JobExecution.Trigger;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.JobLockContractTests;
import io.tickwork.lock.Lease;
import io.tickwork.state.JobStateStore;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Runs the {@link JobLock} contract against {@link RedisJobLock} on a real Redis.
 */
class RedisJobLockTests extends JobLockContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisStoreSupport support = newSupport();

	private RedisJobLock lock;

	private RedisJobStateStore state;

	@BeforeEach
	void open() throws IOException {
		this.support.open(Clock.systemUTC());
		this.lock = new RedisJobLock(this.support.store(), true);
		this.state = new RedisJobStateStore(this.support.store());
	}

	@AfterEach
	void close() {
		this.support.close();
	}

	/** The store's support: Lettuce's shared connection, 10 records kept per job. */
	RedisStoreSupport newSupport() {
		return new RedisStoreSupport(redis, 10);
	}

	RedisStoreSupport support() {
		return this.support;
	}

	RedisJobStateStore stateStore() {
		return this.state;
	}

	@Override
	protected Duration ttl() {
		return Duration.ofMillis(1500);
	}

	@Override
	protected JobLock lock() {
		return this.lock;
	}

	@Override
	protected JobStateStore state() {
		return this.state;
	}

	@Override
	protected void elapse(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void tokensAreAtLeast128RandomBits() {
		Lease lease = this.lock.claim(request("job", FIRE, "e1")).lease();
		assertThat(lease.token()).matches("[0-9a-f]{32}");
	}

	@Test
	void everyKeyOfAJobSharesItsHashTag() throws IOException {
		Claim claim = this.lock.claim(request("job-1", FIRE, "e1"));
		this.lock.release(claim.lease(), finished(claim.lease()));
		assertThat(redis.command("EXISTS", key("job-1"), key("job-1") + ":history")).isEqualTo("2");
		assertThat(redis.command("DBSIZE")).isEqualTo("2");
		assertThat(this.state.lastFire("job-1")).contains(FIRE);
		assertThat(redis.command("HGET", key("job-1"), "lock")).isEmpty();
	}

	@Test
	void overlappingLeasesAreExtendedAndReleasedOnlyByTheirHolder() throws IOException {
		Lease first = this.lock.claim(overlapping(FIRE, "e1")).lease();
		Lease second = this.lock.claim(overlapping(FIRE.plusSeconds(1), "e2")).lease();
		Lease impostor = new Lease("job", "not-the-token", first.fencingToken(), FIRE, false, "e1");
		assertThat(this.lock.extend(impostor, ttl())).isFalse();
		assertThat(this.lock.release(impostor, finished(impostor))).isFalse();
		assertThat(this.lock.extend(first, ttl())).isTrue();
		assertThat(this.lock.release(first, finished(first))).isTrue();
		assertThat(redis.command("HEXISTS", key("job"), "run:e1")).isEqualTo("0");
		assertThat(this.lock.release(first, finished(first))).isFalse();
		assertThat(this.lock.extend(second, ttl())).isTrue();
		assertThat(redis.command("HEXISTS", key("job"), "run:e2")).isEqualTo("1");
	}

	private String key(String job) {
		return this.support.store().stateKey(job);
	}

	private ClaimRequest overlapping(Instant fire, String executionId) {
		return new ClaimRequest("job", fire, Trigger.SCHEDULE, false, ttl(), "instance-a", executionId, fire, false);
	}

	@Test
	void claimedFiresKeptInFieldsOfTheirOwnByAnEarlierVersionAreDroppedAndFireOrderHolds() throws IOException {
		Lease before = this.lock.claim(request("job", FIRE.plusSeconds(2), "e1")).lease();
		this.lock.release(before, finished(before));
		// as versions before 0.2.0 left it: the claimed fires in fields f1..fN, no ring
		redis.command("HDEL", key("job"), "ring");
		redis.command("HSET", key("job"), "f1", String.valueOf(FIRE.toEpochMilli()), "f2",
				String.valueOf(FIRE.plusSeconds(2).toEpochMilli()));
		Claim next = this.lock.claim(request("job", FIRE.plusSeconds(3), "e2"));
		assertThat(next.status()).isEqualTo(Claim.Status.ACQUIRED);
		assertThat(next.lease().fencingToken()).isGreaterThan(before.fencingToken());
		assertThat(redis.command("HEXISTS", key("job"), "f1")).isEqualTo("0");
		assertThat(redis.command("HEXISTS", key("job"), "f2")).isEqualTo("0");
		// older fires are refused whatever the ring forgot
		assertThat(this.lock.claim(request("job", FIRE.plusSeconds(2), "e3")).status())
			.isNotEqualTo(Claim.Status.ACQUIRED);
		assertThat(this.lock.claim(request("job", FIRE.plusSeconds(3), "e4")).status())
			.isEqualTo(Claim.Status.ALREADY_CLAIMED);
	}

	@Test
	void stateWrittenInAnotherFormatIsRefusedWithAnErrorThatNamesIt() throws IOException {
		redis.command("HSET", key("job"), "fire", String.valueOf(FIRE.toEpochMilli()));
		assertThatIllegalStateException()
			.isThrownBy(() -> this.lock.claim(request("job", FIRE.plusSeconds(1), "e1")))
			.withMessage("Redis refused a Tickwork operation on job 'job': field 'fire' of " + key("job") + " is not in "
					+ "the format of this Tickwork version (24 bytes expected, found 13)");
	}

	@Test
	void jobNamesThatWouldBreakTheKeySchemeAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.lock.claim(request("a}b", FIRE, "e1")))
			.withMessageContaining("Job name 'a}b' is not valid");
	}

}
