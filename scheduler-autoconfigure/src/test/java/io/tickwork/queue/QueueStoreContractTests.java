package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;
import io.tickwork.queue.QueueStore.Claim;
import io.tickwork.queue.QueueStore.Delivery;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link QueueStore} does: ordering, delays, leases and their expiry, fencing
 * tokens, retries, the dead letter, idempotent ids, capacity, cancel and pause.
 */
public abstract class QueueStoreContractTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Duration KEEP = Duration.ofHours(1);

	/**
	 * The store under test, empty.
	 * @return the store
	 */
	protected abstract QueueStore store();

	private static Instant now() {
		return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
	}

	private static QueuedJob job(String id, int priority, Instant now) {
		return new QueuedJob(id, "mail", Status.READY, "{\"to\":\"ann@example.com\",\"note\":\"é ✓\"}", "demo.Mail",
				priority, 0, 0, null, now, now, null, null, null, null, 0);
	}

	private static QueuedJob delayed(String id, Instant now, Instant at) {
		return new QueuedJob(id, "mail", Status.DELAYED, null, null, 0, 0, 3, Duration.ofSeconds(7), now, at, null,
				null, null, null, 0);
	}

	private List<String> claimIds(int max) {
		return store().claim("mail", "a", max, now(), LEASE, 3)
			.delivered()
			.stream()
			.map((delivery) -> delivery.job().id())
			.toList();
	}

	@Test
	void aClaimedJobCarriesItsPayloadAttemptTokenAndLease() {
		Instant now = now();
		assertThat(store().enqueue(job("j1", 0, now), 10)).isEqualTo(new QueueStore.EnqueueResult("j1", true, false));
		Claim claim = store().claim("mail", "worker-1", 5, now, LEASE, 3);
		assertThat(claim.delivered()).hasSize(1);
		Delivery delivery = claim.delivered().get(0);
		QueuedJob job = delivery.job();
		assertThat(job.status()).isEqualTo(Status.RUNNING);
		assertThat(job.payload()).isEqualTo("{\"to\":\"ann@example.com\",\"note\":\"é ✓\"}");
		assertThat(job.payloadType()).isEqualTo("demo.Mail");
		assertThat(job.attempts()).isEqualTo(1);
		assertThat(job.fencingToken()).isPositive();
		assertThat(job.instance()).isEqualTo("worker-1");
		assertThat(delivery.leaseUntil()).isBetween(now.plus(LEASE).minusSeconds(2), now.plus(LEASE).plusSeconds(2));
		assertThat(store().get("mail", "j1")).get().extracting(QueuedJob::status).isEqualTo(Status.RUNNING);
		assertThat(store().counts("mail")).isEqualTo(new QueueStore.Counts(0, 0, 1, 0, false));
	}

	@Test
	void higherPriorityFirstThenInOrderOfEnqueue() {
		Instant now = now();
		store().enqueue(job("low", -5, now), 10);
		store().enqueue(job("a", 0, now), 10);
		store().enqueue(job("urgent", 10, now), 10);
		store().enqueue(job("b", 0, now), 10);
		assertThat(claimIds(10)).containsExactly("urgent", "a", "b", "low");
	}

	@Test
	void anIdThatExistsIsNotEnqueuedTwice() {
		Instant now = now();
		store().enqueue(job("same", 0, now), 10);
		assertThat(store().enqueue(job("same", 5, now), 10)).isEqualTo(new QueueStore.EnqueueResult("same", false, false));
		assertThat(store().counts("mail").ready()).isEqualTo(1);
	}

	@Test
	void aFullTypeRefusesJobs() {
		Instant now = now();
		store().enqueue(job("1", 0, now), 2);
		store().enqueue(delayed("2", now, now.plusSeconds(60)), 2);
		assertThat(store().enqueue(job("3", 0, now), 2).full()).isTrue();
		assertThat(store().get("mail", "3")).isEmpty();
	}

	@Test
	void aDelayedJobWaitsForItsTime() {
		Instant now = now();
		Instant at = now.plusMillis(300);
		store().enqueue(delayed("later", now, at), 10);
		Claim early = store().claim("mail", "a", 5, now, LEASE, 3);
		assertThat(early.delivered()).isEmpty();
		assertThat(early.next()).isEqualTo(at);
		Claim due = store().claim("mail", "a", 5, at, LEASE, 3);
		assertThat(due.delivered()).extracting((delivery) -> delivery.job().id()).containsExactly("later");
		assertThat(due.delivered().get(0).job().maxAttempts()).isEqualTo(3);
		assertThat(due.delivered().get(0).job().timeout()).isEqualTo(Duration.ofSeconds(7));
		assertThat(due.delivered().get(0).job().payload()).isNull();
	}

	@Test
	void aClaimSaysWhenToLookAgainTheEarlierOfTheNextDelayedJobAndTheNextLeaseExpiry() {
		Instant now = now();
		store().enqueue(job("leased", 0, now), 10);
		Claim first = store().claim("mail", "a", 5, now, LEASE, 3);
		// lease expiries come from the store's clock, told on the caller's: close to now + LEASE
		assertThat(first.next()).as("the new lease's expiry").isBetween(now.plus(LEASE).minusSeconds(2),
				now.plus(LEASE).plusSeconds(2));
		Instant soon = now.plus(LEASE).minusSeconds(5);
		store().enqueue(delayed("soon", now, soon), 10);
		assertThat(store().claim("mail", "a", 5, now, LEASE, 3).next()).as("a delayed job due first").isEqualTo(soon);
		store().enqueue(job("second", 0, now), 10);
		Claim later = store().claim("mail", "a", 5, now.plusSeconds(1), LEASE, 3);
		assertThat(later.delivered()).hasSize(1);
		assertThat(later.next()).as("the delayed job, before either lease expires").isEqualTo(soon);
		Claim afterDue = store().claim("mail", "a", 5, soon, LEASE, 3);
		assertThat(afterDue.delivered()).extracting((delivery) -> delivery.job().id()).containsExactly("soon");
	}

	@Test
	void aRetryWaitsThenComesBackWithAGreaterToken() {
		Instant now = now();
		store().enqueue(job("r", 0, now), 10);
		QueuedJob first = store().claim("mail", "a", 1, now, LEASE, 3).delivered().get(0).job();
		Instant at = now.plusMillis(200);
		assertThat(store().retry("mail", "r", first.fencingToken(), at, "boom")).isTrue();
		QueuedJob waiting = store().get("mail", "r").orElseThrow();
		assertThat(waiting.status()).isEqualTo(Status.DELAYED);
		assertThat(waiting.lastError()).isEqualTo("boom");
		assertThat(waiting.scheduledAt()).isEqualTo(at);
		assertThat(store().claim("mail", "a", 1, now, LEASE, 3).delivered()).isEmpty();
		QueuedJob second = store().claim("mail", "b", 1, at, LEASE, 3).delivered().get(0).job();
		assertThat(second.attempts()).isEqualTo(2);
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(second.instance()).isEqualTo("b");
	}

	@Test
	void anOldTokenCanNeitherEndNorExtend() {
		Instant now = now();
		store().enqueue(job("t", 0, now), 10);
		long token = store().claim("mail", "a", 1, now, LEASE, 3).delivered().get(0).job().fencingToken();
		assertThat(store().succeed("mail", "t", token + 1, now, KEEP)).isFalse();
		assertThat(store().extend("mail", Map.of("t", token + 1), now.plus(LEASE))).containsExactly("t");
		assertThat(store().extend("mail", Map.of("t", token), now.plus(LEASE))).isEmpty();
		assertThat(store().succeed("mail", "t", token, now, KEEP)).isTrue();
		assertThat(store().get("mail", "t")).get().extracting(QueuedJob::status).isEqualTo(Status.SUCCEEDED);
		assertThat(store().succeed("mail", "t", token, now, KEEP)).isFalse();
	}

	@Test
	void anExpiredLeaseIsAbandonedAndDeliveredAgainThenDeadAtItsLastAttempt() throws Exception {
		store().enqueue(job("lost", 0, now()), 10);
		Duration shortLease = Duration.ofMillis(50);
		long firstToken = store().claim("mail", "dead-instance", 1, now(), shortLease, 2)
			.delivered()
			.get(0)
			.job()
			.fencingToken();
		Thread.sleep(150);
		Claim again = store().claim("mail", "b", 1, now(), shortLease, 2);
		assertThat(again.abandoned()).singleElement().satisfies((job) -> {
			assertThat(job.id()).isEqualTo("lost");
			assertThat(job.status()).isEqualTo(Status.READY);
			assertThat(job.attempts()).isEqualTo(1);
			assertThat(job.instance()).isEqualTo("dead-instance");
			assertThat(job.fencingToken()).isEqualTo(firstToken);
			assertThat(job.lastError()).contains("attempt 1 abandoned").contains("dead-instance");
		});
		assertThat(again.delivered()).singleElement().satisfies((delivery) -> {
			assertThat(delivery.job().attempts()).isEqualTo(2);
			assertThat(delivery.job().fencingToken()).isGreaterThan(firstToken);
		});
		assertThat(store().succeed("mail", "lost", firstToken, now(), KEEP)).isFalse();
		Thread.sleep(150);
		Claim last = store().claim("mail", "c", 1, now(), LEASE, 2);
		assertThat(last.delivered()).isEmpty();
		assertThat(last.abandoned()).singleElement().extracting(QueuedJob::status).isEqualTo(Status.DEAD);
		assertThat(store().deadLetters("mail", 10)).extracting(QueuedJob::id).containsExactly("lost");
	}

	@Test
	void theDeadLetterKeepsTheLatestAndGivesThemBack() {
		Instant now = now();
		for (int i = 1; i <= 3; i++) {
			store().enqueue(job("d" + i, 0, now), 10);
		}
		List<Delivery> claimed = store().claim("mail", "a", 3, now, LEASE, 1).delivered();
		for (int i = 0; i < 3; i++) {
			QueuedJob job = claimed.get(i).job();
			assertThat(store().bury("mail", job.id(), job.fencingToken(), now.plusMillis(i), "failed " + i, 2)).isTrue();
		}
		assertThat(store().deadLetters("mail", 10)).extracting(QueuedJob::id).containsExactly("d3", "d2");
		assertThat(store().get("mail", "d1")).isEmpty();
		QueuedJob dead = store().get("mail", "d3").orElseThrow();
		assertThat(dead.status()).isEqualTo(Status.DEAD);
		assertThat(dead.lastError()).isEqualTo("failed 2");
		assertThat(dead.finishedAt()).isNotNull();
		assertThat(store().counts("mail").dead()).isEqualTo(2);
		assertThat(store().requeue("mail", "d3", now)).isTrue();
		assertThat(store().requeue("mail", "d3", now)).isFalse();
		QueuedJob requeued = store().claim("mail", "a", 1, now, LEASE, 1).delivered().get(0).job();
		assertThat(requeued.id()).isEqualTo("d3");
		assertThat(requeued.attempts()).isEqualTo(1);
		assertThat(store().deleteDead("mail", "d2", now.minusSeconds(60))).isTrue();
		assertThat(store().deleteDead("mail", "d2", now.minusSeconds(60))).isFalse();
		assertThat(store().counts("mail").dead()).isZero();
	}

	@Test
	void oldDeadJobsAreDropped() {
		Instant now = now();
		store().enqueue(job("old", 0, now), 10);
		QueuedJob job = store().claim("mail", "a", 1, now, LEASE, 1).delivered().get(0).job();
		store().bury("mail", "old", job.fencingToken(), now.minusSeconds(100), "x", 10);
		store().deleteDead("mail", null, now.minusSeconds(50));
		assertThat(store().get("mail", "old")).isEmpty();
		assertThat(store().counts("mail").dead()).isZero();
	}

	@Test
	void aReleasedJobIsReadyWithoutLosingAnAttempt() {
		Instant now = now();
		store().enqueue(job("rel", 0, now), 10);
		QueuedJob job = store().claim("mail", "a", 1, now, LEASE, 3).delivered().get(0).job();
		assertThat(store().release("mail", "rel", job.fencingToken())).isTrue();
		assertThat(store().get("mail", "rel")).get().extracting(QueuedJob::status, QueuedJob::attempts)
			.containsExactly(Status.READY, 0);
		assertThat(store().claim("mail", "a", 1, now, LEASE, 3).delivered().get(0).job().attempts()).isEqualTo(1);
	}

	@Test
	void onlyAJobThatHasNotStartedCanBeCancelled() {
		Instant now = now();
		store().enqueue(job("ready", 0, now), 10);
		store().enqueue(delayed("later", now, now.plusSeconds(60)), 10);
		store().enqueue(job("running", -1, now), 10);
		assertThat(store().cancel("mail", "ready", now, KEEP)).isTrue();
		assertThat(store().cancel("mail", "later", now, KEEP)).isTrue();
		assertThat(claimIds(5)).containsExactly("running");
		assertThat(store().cancel("mail", "running", now, KEEP)).isFalse();
		assertThat(store().get("mail", "ready")).get().extracting(QueuedJob::status).isEqualTo(Status.CANCELLED);
		assertThat(store().counts("mail")).isEqualTo(new QueueStore.Counts(0, 0, 1, 0, false));
	}

	@Test
	void aSucceededJobWithoutRetentionIsGone() {
		Instant now = now();
		store().enqueue(job("gone", 0, now), 10);
		long token = store().claim("mail", "a", 1, now, LEASE, 3).delivered().get(0).job().fencingToken();
		assertThat(store().succeed("mail", "gone", token, now, Duration.ZERO)).isTrue();
		assertThat(store().get("mail", "gone")).isEmpty();
		assertThat(store().enqueue(job("gone", 0, now), 10).created()).isTrue();
	}

	@Test
	void aPausedTypeGivesNoJob() {
		Instant now = now();
		store().enqueue(job("p", 0, now), 10);
		store().setPaused("mail", true);
		Claim claim = store().claim("mail", "a", 5, now, LEASE, 3);
		assertThat(claim.paused()).isTrue();
		assertThat(claim.delivered()).isEmpty();
		assertThat(store().counts("mail").paused()).isTrue();
		store().setPaused("mail", false);
		assertThat(claimIds(5)).containsExactly("p");
		assertThat(store().types()).contains("mail");
	}

	@Test
	void aNewReadyJobIsNoticed() throws Exception {
		CountDownLatch noticed = new CountDownLatch(1);
		store().onWork((type, due) -> {
			if (type.equals("mail") && due == null) {
				noticed.countDown();
			}
		});
		store().enqueue(job("n", 0, now()), 10);
		assertThat(noticed.await(5, TimeUnit.SECONDS)).isTrue();
	}

}
