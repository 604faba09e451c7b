package io.tickwork.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Dispatcher}, on an executor that runs nothing until told to, and with
 * a clock that only a park moves.
 */
class DispatcherTests {

	private final List<Runnable> handedOver = new ArrayList<>();

	private final Executor executor = this.handedOver::add;

	private final long[] nanos = { 0 };

	private final List<Long> parks = new ArrayList<>();

	@Test
	void tasksWakeOneWorkerAtATimeAndAWorkerGoesOnWithTheNextWhenItsTaskEnds() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 3);
		List<Integer> ran = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			int id = i;
			dispatcher.submit(() -> ran.add(id), (ex) -> {
			});
		}
		assertThat(this.handedOver).hasSize(1);
		runHandedOver(1);
		// it handed over a second worker when it took a task with more waiting, and ran them all
		assertThat(ran).containsExactly(0, 1, 2, 3, 4);
		assertThat(this.handedOver).hasSize(1);
		runHandedOver(1);
		assertThat(ran).hasSize(5);
		assertThat(this.handedOver).isEmpty();
	}

	@Test
	void runsAtMostTheLimitAtOnceAndTheRestWhenSlotsFree() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 2);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 6; i++) {
			dispatcher.submit(() -> {
				most.accumulateAndGet(running.incrementAndGet(), Math::max);
				// a worker handed over meanwhile starts while this task runs
				if (!this.handedOver.isEmpty()) {
					runHandedOver(1);
				}
				ran.incrementAndGet();
				running.decrementAndGet();
			}, (ex) -> {
			});
		}
		runHandedOver(1);
		assertThat(ran).hasValue(6);
		assertThat(most).hasValue(2);
		assertThat(this.handedOver).isEmpty();
	}

	@Test
	void tasksAreRejectedWhileTheExecutorRefusesWorkersAndTheirSlotsAreFreed() {
		boolean[] refusing = { true };
		Dispatcher dispatcher = refusingWhile(refusing, 2);
		List<String> ran = new ArrayList<>();
		// more tasks than slots: each is tried in turn, and refused
		for (int i = 0; i < 3; i++) {
			String id = "refused " + i;
			dispatcher.submit(() -> ran.add(id), (ex) -> ran.add(id + " rejected"));
		}
		assertThat(ran).containsExactly("refused 0 rejected", "refused 1 rejected", "refused 2 rejected");
		refusing[0] = false;
		dispatcher.submit(() -> ran.add("accepted"), (ex) -> ran.add("accepted rejected"));
		runAllHandedOver();
		assertThat(ran).endsWith("accepted");
	}

	@Test
	void tasksQueuedBehindTheLimitAreRejectedInTurnWhenTheExecutorRefusesTheWorkerLeftForThem() {
		boolean[] refusing = { false };
		Dispatcher dispatcher = refusingWhile(refusing, 1);
		List<String> ran = new ArrayList<>();
		dispatcher.submit(() -> {
			refusing[0] = true;
			throw new IllegalStateException("test");
		}, (ex) -> ran.add("thrower rejected"));
		dispatcher.submit(() -> ran.add("second"), (ex) -> ran.add("second rejected"));
		dispatcher.submit(() -> ran.add("third"), (ex) -> ran.add("third rejected"));
		Runnable worker = this.handedOver.remove(0);
		try {
			worker.run();
		}
		catch (IllegalStateException expected) {
		}
		assertThat(ran).containsExactly("second rejected", "third rejected");
	}

	@Test
	void aTaskThatThrowsLeavesTheTasksWaitingForAThreadToAnotherWorker() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 1);
		List<String> ran = new ArrayList<>();
		dispatcher.submit(() -> {
			throw new IllegalStateException("test");
		}, (ex) -> ran.add("thrower rejected"));
		dispatcher.submit(() -> ran.add("second"), (ex) -> ran.add("second rejected"));
		assertThat(this.handedOver).hasSize(1);
		Runnable first = this.handedOver.remove(0);
		// the second task gets the slot when the first throws, and a worker of its own
		try {
			first.run();
		}
		catch (IllegalStateException expected) {
		}
		runAllHandedOver();
		assertThat(ran).containsExactly("second");
		dispatcher.submit(() -> ran.add("third"), (ex) -> ran.add("third rejected"));
		runAllHandedOver();
		assertThat(ran).containsExactly("second", "third");
	}

	@Test
	void preparesAtMostClaimsAheadTimesTheLimitAtOnce() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 2);
		int ahead = 2 * Dispatcher.CLAIMS_AHEAD_PER_SLOT;
		List<CompletableFuture<Dispatcher.Task>> preparing = new ArrayList<>();
		List<Integer> admitted = new ArrayList<>();
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < ahead + 2; i++) {
			int id = i;
			dispatcher.submitPrepared(() -> {
				CompletableFuture<Dispatcher.Task> stage = new CompletableFuture<>();
				preparing.add(stage);
				return stage;
			}, () -> admitted.add(id), (ex) -> {
			});
		}
		assertThat(admitted).containsExactlyElementsOf(IntStream.range(0, ahead).boxed().toList());
		preparing.get(1).complete(new Dispatcher.Task(ran::incrementAndGet, null, (ex) -> {
		}));
		// prepared and handed to a worker: the next one is admitted
		assertThat(this.handedOver).hasSize(1);
		assertThat(admitted).containsExactlyElementsOf(IntStream.rangeClosed(0, ahead).boxed().toList());
		runHandedOver(1);
		assertThat(ran).hasValue(1);
	}

	@Test
	void admitsNothingWhileTheLimitOfPreparedTasksWaitsForWorkers() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 1);
		List<CompletableFuture<Dispatcher.Task>> preparing = new ArrayList<>();
		AtomicInteger admitted = new AtomicInteger();
		dispatcher.submit(() -> {
		}, (ex) -> {
		});
		int ahead = Dispatcher.CLAIMS_AHEAD_PER_SLOT;
		for (int i = 0; i < ahead + 2; i++) {
			dispatcher.submitPrepared(() -> {
				CompletableFuture<Dispatcher.Task> stage = new CompletableFuture<>();
				preparing.add(stage);
				return stage;
			}, admitted::incrementAndGet, (ex) -> {
			});
		}
		assertThat(admitted).hasValue(ahead);
		preparing.get(0).complete(new Dispatcher.Task(() -> {
		}, null, (ex) -> {
		}));
		// the only worker is busy: one prepared task waits, and holds the others back
		assertThat(admitted).hasValue(ahead);
		preparing.get(1).complete(new Dispatcher.Task(() -> {
		}, null, (ex) -> {
		}));
		assertThat(admitted).hasValue(ahead);
		// the worker runs its task, then the two prepared ones: the last to get the slot
		// frees the admissions
		runHandedOver(1);
		assertThat(admitted).hasValue(ahead + 2);
		assertThat(this.handedOver).isEmpty();
	}

	@Test
	void preparedTasksWaitForAWorkerAndHoldTheirAdmissionMeanwhile() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 1);
		AtomicInteger admitted = new AtomicInteger();
		AtomicInteger ran = new AtomicInteger();
		dispatcher.submit(() -> {
		}, (ex) -> {
		});
		for (int i = 0; i < 3; i++) {
			dispatcher.submitPrepared(() -> CompletableFuture.completedFuture(new Dispatcher.Task(ran::incrementAndGet, null,
					(ex) -> {
					})), admitted::incrementAndGet, (ex) -> {
					});
		}
		// the worker is busy: one task is prepared and waits, the others are not admitted
		assertThat(admitted).hasValue(1);
		assertThat(this.handedOver).hasSize(1);
		// each task that gets the slot frees an admission, whose task the worker runs next
		runAllHandedOver();
		assertThat(ran).hasValue(3);
		assertThat(admitted).hasValue(3);
	}

	@Test
	void aPreparationThatFailsFreesItsAdmission() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 1);
		AtomicInteger admitted = new AtomicInteger();
		for (int i = 0; i < 4; i++) {
			dispatcher.submitPrepared(() -> {
				throw new IllegalStateException("test");
			}, admitted::incrementAndGet, (ex) -> {
			});
			dispatcher.submitPrepared(() -> CompletableFuture.failedFuture(new IllegalStateException("test")),
					admitted::incrementAndGet, (ex) -> {
					});
		}
		dispatcher.submitPrepared(() -> CompletableFuture.completedFuture(new Dispatcher.Task(() -> {
		}, null, (ex) -> {
		})), admitted::incrementAndGet, (ex) -> {
		});
		assertThat(admitted).hasValue(9);
		assertThat(this.handedOver).hasSize(1);
	}

	@Test
	void clearRejectsWhatIsNotAdmittedAndWhatWaitsForAWorker() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 1);
		List<String> rejected = new ArrayList<>();
		dispatcher.submit(() -> {
		}, (ex) -> rejected.add("running"));
		dispatcher.submitPrepared(() -> CompletableFuture.completedFuture(new Dispatcher.Task(() -> {
		}, null, (ex) -> rejected.add("prepared"))), null, (ex) -> rejected.add("admitted"));
		dispatcher.submitPrepared(CompletableFuture::new, null, (ex) -> rejected.add("waiting"));
		dispatcher.clear((onRejected) -> onRejected.accept(new RejectedExecutionException("test")));
		assertThat(rejected).containsExactlyInAnyOrder("waiting", "prepared");
		assertThat(this.handedOver).hasSize(1);
	}

	@Test
	void followUpsQueuedTogetherCostOneHandOffAndSurviveOneThatThrows() {
		Dispatcher dispatcher = new Dispatcher(this.executor, 1);
		List<String> ran = new ArrayList<>();
		dispatcher.follow(() -> ran.add("first"));
		dispatcher.follow(() -> {
			throw new IllegalStateException("test");
		});
		dispatcher.follow(() -> ran.add("third"));
		assertThat(this.handedOver).hasSize(1);
		runHandedOver(1);
		assertThat(ran).containsExactly("first", "third");
		dispatcher.follow(() -> ran.add("later"));
		assertThat(this.handedOver).hasSize(1);
		runHandedOver(1);
		assertThat(ran).containsExactly("first", "third", "later");
	}

	@Test
	void aTimedTaskWaitsWithoutAWorkerAndRunsOnTheThreadThatWaitedForIt() {
		Dispatcher dispatcher = timedDispatcher(2);
		List<String> ran = new ArrayList<>();
		submitTimed(dispatcher, 1_000_000, () -> ran.add("first at " + this.nanos[0]), ran);
		// one thread is asked for, to wait for the time; the task does not hold a slot
		assertThat(this.handedOver).hasSize(1);
		assertThat(ran).isEmpty();
		runHandedOver(1);
		assertThat(this.parks).containsExactly(1_000_000 - Dispatcher.SPIN_NANOS);
		// late by what the park overslept beyond the spin
		assertThat(ran).containsExactly("first at " + (1_000_000 + TimedStarts.MAX_OVERSLEEP_NANOS));
		// it ran on the waiting thread: no other hand-off, no new leader for an empty queue
		assertThat(this.handedOver).isEmpty();
	}

	@Test
	void tasksDueTogetherRunOnTheLeaderOrAWorkerItHandsOverWhileANewLeaderWaitsForTheRest() {
		Dispatcher dispatcher = timedDispatcher(3);
		List<String> ran = new ArrayList<>();
		submitTimed(dispatcher, 2_000_000, () -> ran.add("later"), ran);
		submitTimed(dispatcher, 1_000_000, () -> ran.add("b"), ran);
		submitTimed(dispatcher, 1_000_000, () -> ran.add("a"), ran);
		assertThat(this.handedOver).hasSize(1);
		runHandedOver(1);
		// the leader asked for a new leader and a worker, ran one of the two due tasks, and
		// then the other, which no worker had taken yet
		assertThat(ran).containsExactlyInAnyOrder("a", "b");
		assertThat(this.handedOver).hasSize(2);
		runHandedOver(2);
		assertThat(ran).containsExactlyInAnyOrder("a", "b", "later");
		assertThat(this.handedOver).isEmpty();
	}

	@Test
	void aTimedTaskDueWithinTheSpinGoesStraightToAWorker() {
		Dispatcher dispatcher = timedDispatcher(1);
		List<String> ran = new ArrayList<>();
		submitTimed(dispatcher, Dispatcher.SPIN_NANOS, () -> ran.add("soon"), ran);
		runHandedOver(1);
		assertThat(this.parks).isEmpty();
		assertThat(ran).containsExactly("soon");
	}

	@Test
	void aDueTaskWaitsForASlotWhenTheLimitIsReached() {
		Dispatcher dispatcher = timedDispatcher(1);
		List<String> ran = new ArrayList<>();
		dispatcher.submit(() -> ran.add("busy"), (ex) -> ran.add("busy rejected"));
		submitTimed(dispatcher, 1_000_000, () -> ran.add("timed"), ran);
		assertThat(this.handedOver).hasSize(2);
		// the leader finds no free slot: the task waits for one, and runs when the worker ends
		this.handedOver.remove(1).run();
		assertThat(ran).isEmpty();
		// the worker runs its task, then the due one
		runHandedOver(1);
		assertThat(ran).containsExactly("busy", "timed");
		assertThat(this.handedOver).isEmpty();
	}

	@Test
	void clearRejectsTimedTasksThatWait() {
		Dispatcher dispatcher = timedDispatcher(1);
		List<String> ran = new ArrayList<>();
		submitTimed(dispatcher, 1_000_000, () -> ran.add("timed"), ran);
		dispatcher.clear((onRejected) -> onRejected.accept(new RejectedExecutionException("test")));
		assertThat(ran).containsExactly("rejected");
		runHandedOver(1);
		assertThat(ran).containsExactly("rejected");
		assertThat(this.parks).isEmpty();
	}

	@Test
	void timedTasksAreRejectedWhenTheExecutorRefusesTheThreadToWaitOn() {
		Dispatcher dispatcher = new Dispatcher((task) -> {
			throw new RejectedExecutionException("test");
		}, 2, () -> this.nanos[0], this.parks::add);
		List<String> ran = new ArrayList<>();
		submitTimed(dispatcher, 1_000_000, () -> ran.add("timed"), ran);
		assertThat(ran).containsExactly("rejected");
	}

	@Test
	void aLeaderWhoseParksOversleepParksThatMuchLessAndStillNeverStartsATaskEarly() {
		// every read of the clock takes a microsecond, every park oversleeps by 70 µs
		long oversleep = 70_000;
		Dispatcher dispatcher = new Dispatcher(this.executor, 1, () -> this.nanos[0] += 1_000, (wait) -> {
			this.parks.add(wait);
			this.nanos[0] += wait + oversleep;
		});
		List<Long> lateness = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			long due = this.nanos[0] + 1_000_000;
			dispatcher.submitPrepared(() -> CompletableFuture.completedFuture(new Dispatcher.Task(
					() -> lateness.add(this.nanos[0] - due), null, (ex) -> lateness.add(null), true, due)), null,
					(ex) -> lateness.add(null));
			while (!this.handedOver.isEmpty()) {
				runHandedOver(1);
			}
		}
		assertThat(lateness).hasSize(200).allSatisfy((late) -> assertThat(late).isNotNegative());
		// the first park overslept the whole spin and more; once learnt, parks end before it
		assertThat(lateness.get(0)).isGreaterThan(oversleep - Dispatcher.SPIN_NANOS);
		assertThat(lateness.get(199)).isLessThan(5_000);
		assertThat(this.parks.get(199)).isLessThan(1_000_000 - Dispatcher.SPIN_NANOS - oversleep + 5_000);
		assertThat(dispatcher.oversleep()).isBetween(oversleep - 5_000, oversleep + 5_000);
	}

	@Test
	void aStalledParkBarelyRaisesTheOversleepTheLeaderAllowsFor() {
		long[] oversleep = { 70_000 };
		Dispatcher dispatcher = new Dispatcher(this.executor, 1, () -> this.nanos[0] += 1_000, (wait) -> {
			this.parks.add(wait);
			this.nanos[0] += wait + oversleep[0];
		});
		long beforeStall = 0;
		for (int i = 0; i < 200; i++) {
			if (i == 150) {
				// the thread is held off its core for 10 ms, once
				beforeStall = dispatcher.oversleep();
				oversleep[0] = 10_000_000;
			}
			else if (i == 151) {
				oversleep[0] = 70_000;
			}
			long due = this.nanos[0] + 1_000_000;
			dispatcher.submitPrepared(() -> CompletableFuture.completedFuture(new Dispatcher.Task(() -> {
			}, null, (ex) -> {
			}, true, due)), null, (ex) -> {
			});
			while (!this.handedOver.isEmpty()) {
				runHandedOver(1);
			}
			if (i == 150) {
				// one park raises the estimate by a microsecond at most
				assertThat(beforeStall).isBetween(60_000L, 80_000L);
				assertThat(dispatcher.oversleep()).isBetween(beforeStall, beforeStall + 1_000);
			}
		}
		assertThat(dispatcher.oversleep()).isLessThan(80_000);
	}

	private Dispatcher timedDispatcher(int limit) {
		return new Dispatcher(this.executor, limit, () -> this.nanos[0], (wait) -> {
			this.parks.add(wait);
			// a park oversleeps, by more than the leader allows for: this clock stands still
			// between parks, so a leader that woke early would spin for ever
			this.nanos[0] += wait + Dispatcher.SPIN_NANOS + TimedStarts.MAX_OVERSLEEP_NANOS;
		});
	}

	private void submitTimed(Dispatcher dispatcher, long in, Runnable work, List<String> ran) {
		long due = this.nanos[0] + in;
		dispatcher.submitPrepared(() -> CompletableFuture.completedFuture(
				new Dispatcher.Task(work, null, (ex) -> ran.add("rejected"), true, due)), null,
				(ex) -> ran.add("not admitted"));
	}

	/** A dispatcher on the test's executor, which refuses every task while the flag is set. */
	private Dispatcher refusingWhile(boolean[] refusing, int limit) {
		return new Dispatcher((task) -> {
			if (refusing[0]) {
				throw new RejectedExecutionException("test");
			}
			this.handedOver.add(task);
		}, limit);
	}

	private void runAllHandedOver() {
		while (!this.handedOver.isEmpty()) {
			runHandedOver(1);
		}
	}

	private void runHandedOver(int count) {
		for (int i = 0; i < count; i++) {
			this.handedOver.remove(0).run();
		}
	}

}
