package io.tickwork.sample;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * A stand-in for a message queue that fills up on its own.
 */
@Component
class WorkQueue {

	private final ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();

	String poll() {
		return this.items.poll();
	}

	int size() {
		int arriving = ThreadLocalRandom.current().nextInt(5);
		for (int i = 0; i < arriving; i++) {
			this.items.add("item");
		}
		return this.items.size();
	}

}
