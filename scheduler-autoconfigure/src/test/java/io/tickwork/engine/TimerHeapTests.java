package io.tickwork.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TimerHeap}, against a sorted set of the same timers.
 */
class TimerHeapTests {

	private static final Comparator<Timer> ORDER = Comparator.comparing((Timer timer) -> timer.due)
		.thenComparingLong((timer) -> timer.sequence);

	private long sequence;

	@Test
	void anEmptyHeapHasNoHead() {
		TimerHeap heap = new TimerHeap();
		assertThat(heap.isEmpty()).isTrue();
		assertThat(heap.peek()).isNull();
		assertThat(heap.poll()).isNull();
	}

	@Test
	void timersDueAtOneInstantLeaveInTheOrderTheyWereAdded() {
		TimerHeap heap = new TimerHeap();
		Instant due = Instant.parse("2026-12-02T10:00:00.000001Z");
		List<Timer> added = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			Timer timer = timer(due);
			added.add(timer);
			heap.add(timer);
		}
		heap.add(timer(due.minusNanos(1)));
		assertThat(heap.poll().due).isEqualTo(due.minusNanos(1));
		for (Timer timer : added) {
			assertThat(heap.poll()).isSameAs(timer);
		}
		assertThat(heap.isEmpty()).isTrue();
	}

	@Test
	void pollsTheEarliestThroughAnyMixOfAddsAndPolls() {
		Random random = new Random(20261202);
		TimerHeap heap = new TimerHeap();
		TreeSet<Timer> model = new TreeSet<>(ORDER);
		Instant base = Instant.parse("2026-12-02T00:00:00Z");
		for (int step = 0; step < 20_000; step++) {
			if (model.isEmpty() || random.nextInt(5) < 3) {
				// few distinct seconds, so that nanos and sequences decide most comparisons
				Instant due = switch (random.nextInt(10)) {
					case 0 -> Instant.parse("3000-01-01T00:00:00Z").plusNanos(random.nextInt(3));
					case 1 -> Instant.EPOCH.minusSeconds(random.nextInt(3));
					default -> base.plusSeconds(random.nextInt(4)).plusNanos(random.nextInt(5) * 250_000_000L);
				};
				Timer timer = timer(due);
				heap.add(timer);
				model.add(timer);
			}
			else {
				assertThat(heap.poll()).isSameAs(model.pollFirst());
			}
			assertThat(heap.size()).isEqualTo(model.size());
			assertThat(heap.peek()).isSameAs(model.isEmpty() ? null : model.first());
		}
		while (!model.isEmpty()) {
			assertThat(heap.poll()).isSameAs(model.pollFirst());
		}
		assertThat(heap.isEmpty()).isTrue();
	}

	private Timer timer(Instant due) {
		return new Timer(due, this.sequence++, () -> {
		});
	}

}
