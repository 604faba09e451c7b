package io.tickwork.engine;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executions that hold a claim on this instance, and the claims sent whose answer is
 * not yet handled: what a stop waits for. Thread-safe.
 */
final class ActiveRuns implements Iterable<Run> {

	private final Set<Run> runs = ConcurrentHashMap.newKeySet();

	/** Claims sent whose answer is not yet handled. */
	private final AtomicInteger unsettledClaims = new AtomicInteger();

	private final Lifecycle lifecycle;

	ActiveRuns(Lifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	void add(Run run) {
		this.runs.add(run);
	}

	void remove(Run run) {
		this.runs.remove(run);
		if (!this.lifecycle.isRunning()) {
			wakeWaiters();
		}
	}

	void claimSent() {
		this.unsettledClaims.incrementAndGet();
	}

	void claimSettled() {
		if (this.unsettledClaims.decrementAndGet() == 0 && !this.lifecycle.isRunning()) {
			wakeWaiters();
		}
	}

	int size() {
		return this.runs.size();
	}

	/** Whether no execution runs and no claim is unsettled, for tests. */
	boolean isQuiet() {
		return this.runs.isEmpty() && this.unsettledClaims.get() == 0;
	}

	@Override
	public Iterator<Run> iterator() {
		return this.runs.iterator();
	}

	/**
	 * Waits until no execution runs and no claim is unsettled.
	 * @param timeout the longest wait
	 * @return whether everything ended in time
	 */
	boolean await(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.runs) {
			while (!this.runs.isEmpty() || this.unsettledClaims.get() > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.runs, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	private void wakeWaiters() {
		synchronized (this.runs) {
			this.runs.notifyAll();
		}
	}

}
