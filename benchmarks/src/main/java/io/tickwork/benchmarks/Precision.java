package io.tickwork.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.schedule.Schedule;

/**
 * The precision figure: start lateness of Tickwork and of Spring's scheduler, in turns.
 */
final class Precision {

	private Precision() {
	}

	/**
	 * Start lateness of 10,000 one-second jobs, Tickwork (lock and history on) against
	 * bare Spring. Each peer first runs for the warm-up, long enough for the JIT compiler
	 * to be done: a compiler thread busy on one core while something else holds the other
	 * delays every fire due meanwhile, and Tickwork has more code to compile than Spring.
	 * The measured time is then cut into {@code rounds} turns per peer, in the order
	 * Tickwork, Spring, Spring, Tickwork, and so on, so that both peers meet the same
	 * spells of a shared host's stolen time instead of one peer measuring a quiet minute
	 * and the other a noisy one. Each turn starts its scheduler afresh, collects the heap
	 * a second later, so that no turn pays for collecting the other peer's garbage or the
	 * objects of its own restart, and records from the second after that: a turn's
	 * collections are those of its peer's work.
	 */
	static void precision(int seconds, int warmup, int rounds) throws Exception {
		int jobs = 10_000;
		Lateness tickwork = new Lateness(jobs * (seconds + 2));
		Lateness spring = new Lateness(jobs * (seconds + 2));
		List<PrecisionPeer> peers = List.of(new TickworkPeer(jobs, tickwork), new SpringPeer(jobs, spring));
		for (PrecisionPeer peer : peers) {
			peer.start();
			Thread.sleep(warmup * 1000L);
			peer.stop();
		}
		long turn = seconds * 1000L / rounds;
		for (int round = 0; round < rounds; round++) {
			for (int i = 0; i < peers.size(); i++) {
				PrecisionPeer peer = peers.get((round % 2 == 0) ? i : peers.size() - 1 - i);
				peer.start();
				Thread.sleep(1000);
				System.gc();
				Thread.sleep(1000);
				peer.lateness().record(turn);
				peer.stop();
			}
		}
		tickwork.report("precision.tickwork");
		spring.report("precision.spring");
		System.out.printf("INFO precision %d jobs at 1s, %ds each in %d turns alternating with the other peer, after "
				+ "%ds of warm-up; Tickwork in memory with lock and history, 16 threads; Spring "
				+ "ThreadPoolTaskScheduler with 16 threads, bare%n", jobs, seconds, rounds, warmup);
	}

	/** One scheduler of the precision figure, with its 10,000 jobs; started afresh for each turn. */
	private abstract static class PrecisionPeer {

		final int jobs;

		final Lateness lateness;

		PrecisionPeer(int jobs, Lateness lateness) {
			this.jobs = jobs;
			this.lateness = lateness;
		}

		abstract void start();

		abstract void stop();

		final Lateness lateness() {
			return this.lateness;
		}

	}

	/**
	 * Tickwork in memory, with lock and history, on 16 threads. The history outlives the
	 * turns, as it would outlive nothing in an application: each new one would allocate
	 * its slots for 10,000 jobs in the turn's first second, and the collector would copy
	 * them while the turn records.
	 */
	private static final class TickworkPeer extends PrecisionPeer {

		private final InMemoryJobHistory history = new InMemoryJobHistory(Clock.systemUTC(), 100, Duration.ofHours(1));

		private ExecutorService executor;

		private TickworkEngine engine;

		TickworkPeer(int jobs, Lateness lateness) {
			super(jobs, lateness);
		}

		@Override
		void start() {
			JobListener listener = new JobListener() {
				@Override
				public void onStarted(JobExecution execution) {
					TickworkPeer.this.lateness.add(execution.lateness().toNanos() / 1000);
				}
			};
			this.executor = Executors.newFixedThreadPool(16);
			this.engine = Harness.memoryEngine(this.executor, 16, listener).history(this.history).build();
			for (int i = 0; i < this.jobs; i++) {
				this.engine.register(JobDefinition.builder("job-" + i, Schedule.every(Duration.ofSeconds(1)), (ctx) -> {
				}).build());
			}
			this.engine.start();
		}

		@Override
		void stop() {
			this.engine.stop();
			this.executor.shutdownNow();
		}

	}

	/** Bare Spring: a ThreadPoolTaskScheduler of 16 threads with Tickwork's fire times. */
	private static final class SpringPeer extends PrecisionPeer {

		private ThreadPoolTaskScheduler scheduler;

		SpringPeer(int jobs, Lateness lateness) {
			super(jobs, lateness);
		}

		@Override
		void start() {
			this.scheduler = new ThreadPoolTaskScheduler();
			this.scheduler.setPoolSize(16);
			this.scheduler.initialize();
			Instant origin = Instant.now().plusMillis(500);
			for (int i = 0; i < this.jobs; i++) {
				// the same fire times as Tickwork's job of the same name
				Instant first = Schedule.every(Duration.ofSeconds(1)).forJob("job-" + i).next(origin).orElseThrow();
				long firstMicros = first.getEpochSecond() * 1_000_000 + first.getNano() / 1000;
				AtomicLong runs = new AtomicLong();
				this.scheduler.scheduleAtFixedRate(() -> {
					long expected = firstMicros + runs.getAndIncrement() * 1_000_000;
					Instant now = Instant.now();
					this.lateness.add(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - expected);
				}, first, Duration.ofSeconds(1));
			}
		}

		@Override
		void stop() {
			this.scheduler.shutdown();
		}

	}

	/**
	 * The start lateness of one peer's fires while it records, in microseconds, and what
	 * the process spent meanwhile.
	 */
	private static final class Lateness {

		private final long[] micros;

		private final AtomicLong count = new AtomicLong();

		private volatile boolean recording;

		private long cpuNanos;

		/** Context switches while recording, or -1 where the platform does not count them. */
		private long switches;

		private long bytes;

		private long gcPauses;

		private long gcMillis;

		Lateness(int capacity) {
			this.micros = new long[capacity];
		}

		void add(long lateMicros) {
			if (this.recording) {
				long index = this.count.getAndIncrement();
				if (index < this.micros.length) {
					this.micros[(int) index] = lateMicros;
				}
			}
		}

		/** Records for the given time, and adds what the process spent meanwhile. */
		void record(long millis) throws InterruptedException {
			Load start = Load.now();
			this.recording = true;
			Thread.sleep(millis);
			this.recording = false;
			Load end = Load.now();
			this.cpuNanos += end.cpuNanos - start.cpuNanos;
			this.switches = (start.switches < 0 || this.switches < 0) ? -1
					: this.switches + end.switches - start.switches;
			this.bytes += start.allocatedSince(end);
			this.gcPauses += end.gcPauses - start.gcPauses;
			this.gcMillis += end.gcMillis - start.gcMillis;
		}

		void report(String figure) {
			long fires = this.count.get();
			if (fires > 0) {
				Harness.result(figure + ".cpu_per_fire", this.cpuNanos / 1000.0 / fires, "us");
				Harness.result(figure + ".bytes_per_fire", this.bytes / (double) fires, "bytes");
				if (this.switches >= 0) {
					Harness.result(figure + ".switches_per_fire", this.switches / (double) fires, "switches");
				}
			}
			Harness.result(figure + ".gc_pauses", this.gcPauses, "pauses");
			Harness.result(figure + ".gc_pause_time", this.gcMillis, "ms");
			Precision.report(figure, Arrays.copyOf(this.micros, (int) Math.min(fires, this.micros.length)));
		}

	}

	/**
	 * The process's CPU time, its threads' context switches and allocations, and its
	 * collector's pauses at a moment: what each fire costs the machine, which a loaded or
	 * shared machine (steal) does not skew as much as it skews lateness, and the pauses
	 * that made every fire due meanwhile late.
	 */
	private record Load(long cpuNanos, long switches, Map<Long, Long> allocated, long gcPauses, long gcMillis) {

		static Load now() {
			long pauses = 0;
			long millis = 0;
			for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				pauses += Math.max(0, collector.getCollectionCount());
				millis += Math.max(0, collector.getCollectionTime());
			}
			return new Load(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime(), contextSwitches(), allocatedByThread(), pauses, millis);
		}

		/** Bytes allocated so far by each live thread. */
		private static Map<Long, Long> allocatedByThread() {
			com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
				.getThreadMXBean();
			long[] ids = threads.getAllThreadIds();
			long[] bytes = threads.getThreadAllocatedBytes(ids);
			Map<Long, Long> allocated = new HashMap<>();
			for (int i = 0; i < ids.length; i++) {
				if (bytes[i] >= 0) {
					allocated.put(ids[i], bytes[i]);
				}
			}
			return allocated;
		}

		/** Bytes allocated since this load by threads alive at both ends or started since. */
		private long allocatedSince(Load end) {
			long sum = 0;
			for (Map.Entry<Long, Long> thread : end.allocated.entrySet()) {
				sum += thread.getValue() - this.allocated.getOrDefault(thread.getKey(), 0L);
			}
			return sum;
		}

		/** Context switches of every thread of this process so far, or -1 off Linux. */
		private static long contextSwitches() {
			File[] tasks = new File("/proc/self/task").listFiles();
			if (tasks == null) {
				return -1;
			}
			long sum = 0;
			for (File task : tasks) {
				try {
					for (String line : Files.readAllLines(new File(task, "status").toPath())) {
						if (line.startsWith("voluntary_ctxt_switches") || line.startsWith("nonvoluntary_ctxt_switches")) {
							sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
					}
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			}
			return sum;
		}

	}

	private static void report(String figure, long[] micros) {
		Arrays.sort(micros);
		if (micros.length == 0) {
			Harness.result(figure + ".samples", 0, "fires");
			return;
		}
		Harness.result(figure + ".samples", micros.length, "fires");
		Harness.result(figure + ".p50", percentile(micros, 0.50), "us");
		Harness.result(figure + ".p90", percentile(micros, 0.90), "us");
		Harness.result(figure + ".p99", percentile(micros, 0.99), "us");
		Harness.result(figure + ".p99_9", percentile(micros, 0.999), "us");
		Harness.result(figure + ".max", Math.max(0, micros[micros.length - 1]), "us");
	}

	/** The sample at the given fraction of the sorted samples; early starts count as 0. */
	private static long percentile(long[] sorted, double fraction) {
		return Math.max(0, sorted[(int) (sorted.length * fraction)]);
	}

}
