package io.tickwork.queue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker slots of one handled type and its claims under way: which claim may start,
 * how many jobs it may take, and whether the store may hold more. A claim owns the slots
 * free when it leaves until it is answered, so that claims under way at once never take
 * more jobs than there are slots. Thread-safe.
 */
final class ClaimSlots {

	/**
	 * Claims under way at once: while one waits for the store and the store showed more
	 * ready jobs than it could take, slots freed meanwhile are claimed by the next instead
	 * of waiting a round trip.
	 */
	static final int CLAIMS_IN_FLIGHT = 2;

	private final AtomicInteger free;

	private final AtomicInteger claiming = new AtomicInteger();

	/** Counts the notices of work, so that a claim answered short keeps one that came meanwhile. */
	private final AtomicInteger notices = new AtomicInteger();

	/** Whether the store may hold ready jobs this worker has not taken. */
	private volatile boolean more = true;

	ClaimSlots(int slots) {
		this.free = new AtomicInteger(slots);
	}

	boolean hasFree() {
		return this.free.get() > 0;
	}

	/** An attempt ended, or was not started: its slot is free. */
	void freed() {
		this.free.incrementAndGet();
	}

	/** The store may hold ready jobs (a notice of work). */
	void noticed() {
		this.more = true;
		this.notices.incrementAndGet();
	}

	/** Whether the store may hold ready jobs and a slot is free. */
	boolean wantsMore() {
		return this.more && hasFree();
	}

	/**
	 * Whether a claim may start now: none is under way, or one is and the store showed
	 * more ready jobs than it could take. A claim that starts ends with {@link #ended()}.
	 */
	boolean start() {
		for (;;) {
			int underWay = this.claiming.get();
			if (underWay >= CLAIMS_IN_FLIGHT || (underWay > 0 && !this.more)) {
				return false;
			}
			if (this.claiming.compareAndSet(underWay, underWay + 1)) {
				return true;
			}
		}
	}

	boolean anyUnderWay() {
		return this.claiming.get() > 0;
	}

	void ended() {
		this.claiming.decrementAndGet();
	}

	/**
	 * Takes the free slots for a claim that leaves now.
	 * @param taking whether the claim takes jobs at all
	 * @return the claim's reservation
	 */
	Reservation reserve(boolean taking) {
		return new Reservation(taking ? this.free.getAndSet(0) : 0, this.notices.get());
	}

	/** The claim was answered with this many jobs: the slots it did not fill are free again. */
	void answered(Reservation reservation, int delivered) {
		this.free.addAndGet(reservation.slots() - delivered);
		if (reservation.slots() > 0) {
			this.more = delivered == reservation.slots() || this.notices.get() != reservation.noticesBefore();
		}
	}

	/** The claim failed: its slots are free again. */
	void failed(Reservation reservation) {
		this.free.addAndGet(reservation.slots());
	}

	/**
	 * The slots a claim took and the notices of work counted when it left.
	 * @param slots the most jobs it may take
	 * @param noticesBefore the notices counted when it left
	 */
	record Reservation(int slots, int noticesBefore) {
	}

}
