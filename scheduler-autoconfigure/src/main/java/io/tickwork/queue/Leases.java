package io.tickwork.queue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of one type's running attempts alive: extends them together, and stops
 * the attempts whose lease is lost (another delivery holds the job, or the store stayed
 * unreachable until the lease expired).
 */
final class Leases {

	private static final Logger logger = LoggerFactory.getLogger(Leases.class);

	private final QueueEngine engine;

	private final String type;

	private final Map<String, Attempt> active;

	private final BiConsumer<String, RuntimeException> failure;

	Leases(QueueEngine engine, String type, Map<String, Attempt> active, BiConsumer<String, RuntimeException> failure) {
		this.engine = engine;
		this.type = type;
		this.active = active;
		this.failure = failure;
	}

	/** Extends the leases of the running attempts; the lost ones stop. */
	void renew(Instant now) {
		if (this.active.isEmpty()) {
			return;
		}
		Map<String, Long> tokens = new java.util.HashMap<>();
		this.active.forEach((id, attempt) -> tokens.put(id, attempt.job.fencingToken()));
		Instant until = now.plus(this.engine.lease);
		Set<String> lost;
		try {
			lost = this.engine.store.extend(this.type, tokens, until);
		}
		catch (RuntimeException ex) {
			this.failure.accept("extend leases", ex);
			this.active.values().forEach((attempt) -> {
				if (attempt.validUntil.isBefore(now)) {
					loseLease(attempt, "lease lost: the store was unreachable until it expired at " + attempt.validUntil);
				}
			});
			return;
		}
		this.active.forEach((id, attempt) -> {
			if (lost.contains(id)) {
				loseLease(attempt, "lease lost: the store holds another delivery of the job");
			}
			else if (tokens.containsKey(id)) {
				attempt.validUntil = until;
			}
		});
	}

	private void loseLease(Attempt attempt, String cause) {
		logger.error("Queued job '{}' {} attempt {}: {}; interrupting it", this.type, attempt.job.id(),
				attempt.job.attempts(), cause);
		attempt.leaseLost = true;
		attempt.stop(cause);
	}

}
