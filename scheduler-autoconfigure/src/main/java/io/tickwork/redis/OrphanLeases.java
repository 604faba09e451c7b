package io.tickwork.redis;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Leases that may be held in Redis although no caller holds them: a claim whose caller
 * gave up (it timed out, the connection broke, or the client may send it again after it
 * reconnects) and a release that did not get through. Each is released, by its token and
 * without a record (its caller recorded what became of the fire), as soon as Redis
 * answers again, so that such a lock does not hold the job's next fires for a whole lock
 * time to live; a release that finds the token gone does nothing. Thread-safe.
 */
final class OrphanLeases {

	private static final Log logger = LogFactory.getLog(OrphanLeases.class);

	/** Most orphans kept; beyond it, the oldest are left to expire with their time to live. */
	private static final int LIMIT = 100_000;

	private final Queue<Orphan> orphans = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	private final AtomicBoolean releasing = new AtomicBoolean();

	private final AtomicLong released = new AtomicLong();

	/** Submits the release of an orphan, answering its operation. */
	private final Function<Orphan, ScriptOperation> release;

	OrphanLeases(Function<Orphan, ScriptOperation> release) {
		this.release = release;
	}

	/** Keeps a lease whose claim or release may have reached Redis without an answer. */
	void add(String job, String token, boolean exclusive, String executionId) {
		this.orphans.add(new Orphan(job, token, exclusive, executionId));
		if (this.size.incrementAndGet() > LIMIT && this.orphans.poll() != null) {
			this.size.decrementAndGet();
		}
	}

	/** Redis answered a call: sends the releases of the orphans kept so far, unless they are under way. */
	void redisAnswered() {
		if (this.size.get() == 0 || !this.releasing.compareAndSet(false, true)) {
			return;
		}
		int count = this.size.get();
		AtomicInteger pending = new AtomicInteger(1);
		Orphan orphan;
		for (int i = 0; i < count && (orphan = this.orphans.poll()) != null; i++) {
			this.size.decrementAndGet();
			Orphan sent = orphan;
			pending.incrementAndGet();
			try {
				this.release.apply(sent).result.whenComplete((answer, ex) -> {
					if (ex != null) {
						add(sent.job(), sent.token(), sent.exclusive(), sent.executionId());
					}
					else if ("1".equals(answer) || "0".equals(answer)) {
						this.released.incrementAndGet();
					}
					done(pending);
				});
			}
			catch (RuntimeException ex) {
				add(sent.job(), sent.token(), sent.exclusive(), sent.executionId());
				done(pending);
			}
		}
		done(pending);
	}

	private void done(AtomicInteger pending) {
		if (pending.decrementAndGet() == 0) {
			this.releasing.set(false);
			if (logger.isDebugEnabled()) {
				logger.debug("Released orphan leases; " + this.size.get() + " left, " + this.released.get() + " in all");
			}
		}
	}

	/** Number of leases kept for release. */
	int size() {
		return this.size.get();
	}

	/** A lease that may be held in Redis with nobody to release it. */
	record Orphan(String job, String token, boolean exclusive, String executionId) {
	}

}
