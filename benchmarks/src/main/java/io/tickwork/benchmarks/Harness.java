package io.tickwork.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.engine.CompositeJobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.engine.TickworkEngineBuilder;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.redis.RedisJobHistory;
import io.tickwork.redis.RedisJobLock;
import io.tickwork.redis.RedisJobStateStore;
import io.tickwork.redis.RedisJobStore;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;

/**
 * The end-to-end benchmark harness. Each figure is printed on one line,
 * {@code RESULT <figure> <value> <unit>}, for a script to read; peers run in the same
 * process, one after the other.
 * <p>
 * Usage: {@code java -cp tickwork-benchmarks.jar io.tickwork.benchmarks.Harness
 * [engine|precision|redis|scale|cluster|all]...}; system properties
 * {@code precision.seconds}, {@code cluster.seconds} and {@code redis.seconds} shorten
 * runs, {@code precision.warmup} sets the precision figure's warm-up (20 s) and
 * {@code precision.rounds} the number of turns each peer's measured time is cut into (3).
 */
public final class Harness {

	private Harness() {
	}

	public static void main(String[] args) throws Exception {
		List<String> figures = (args.length == 0 || args[0].equals("all"))
				? List.of("engine", "scale", "precision", "redis", "cluster")
				: args[0].equals("redis-peer") ? List.of(args[0]) : Arrays.asList(args);
		System.out.printf("INFO machine cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version"));
		for (String figure : figures) {
			switch (figure) {
				case "engine" -> engineThroughput();
				case "precision" -> precision(Integer.getInteger("precision.seconds", 60),
					Integer.getInteger("precision.warmup", 20), Integer.getInteger("precision.rounds", 3));
				case "redis" -> redisPath();
				case "redis-peer" -> redisPeer(args[1], Integer.parseInt(args[2]));
				case "scale" -> scale();
				case "cluster" -> cluster(Integer.getInteger("cluster.seconds", 60));
				default -> throw new IllegalArgumentException("Unknown figure " + figure);
			}
		}
		System.exit(0);
	}

	private static void result(String figure, double value, String unit) {
		System.out.printf("RESULT %s %.3f %s%n", figure, value, unit);
	}

	private static TickworkEngineBuilder memoryEngine(ExecutorService executor, int maxConcurrent,
			JobListener listener) {
		InMemoryJobStateStore state = new InMemoryJobStateStore();
		return TickworkEngine.builder()
			.executor(executor)
			.state(state)
			.lock(new InMemoryJobLock(state, Clock.systemUTC()))
			.history(new InMemoryJobHistory(Clock.systemUTC(), 100, Duration.ofHours(1)))
			.listener(listener)
			.maxConcurrent(maxConcurrent);
	}

	/** Succeeded executions per second, in memory, with lock, history and listeners on. */
	static void engineThroughput() throws Exception {
		LongAdder succeeded = new LongAdder();
		JobListener counting = new JobListener() {
			@Override
			public void onSucceeded(JobExecution execution) {
				succeeded.increment();
			}
		};
		ExecutorService executor = Executors.newFixedThreadPool(4);
		TickworkEngine engine = memoryEngine(executor, 4, new CompositeJobListener(List.of(counting, JobListener.NO_OP)))
			.build();
		// more fires due than the engine can run, so that the figure is its capacity
		int jobs = Integer.getInteger("engine.jobs", 4000);
		Duration interval = Duration.ofMillis(10);
		for (int i = 0; i < jobs; i++) {
			engine.register(JobDefinition.builder("job-" + i, Schedule.every(interval), (ctx) -> {
			}).build());
		}
		engine.start();
		Thread.sleep(5000);
		long before = succeeded.sum();
		long start = System.nanoTime();
		Thread.sleep(10_000);
		double perSecond = (succeeded.sum() - before) / ((System.nanoTime() - start) / 1e9);
		engine.stop();
		executor.shutdownNow();
		System.out.printf("INFO engine demand=%d fires/s (%d jobs every %dms), 4 worker threads%n",
				jobs * 1000 / interval.toMillis(), jobs, interval.toMillis());
		result("engine.executions_per_second", perSecond, "executions/s");
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
			this.engine = memoryEngine(this.executor, 16, listener).history(this.history).build();
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
				result(figure + ".cpu_per_fire", this.cpuNanos / 1000.0 / fires, "us");
				result(figure + ".bytes_per_fire", this.bytes / (double) fires, "bytes");
				if (this.switches >= 0) {
					result(figure + ".switches_per_fire", this.switches / (double) fires, "switches");
				}
			}
			result(figure + ".gc_pauses", this.gcPauses, "pauses");
			result(figure + ".gc_pause_time", this.gcMillis, "ms");
			Harness.report(figure, Arrays.copyOf(this.micros, (int) Math.min(fires, this.micros.length)));
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
			result(figure + ".samples", 0, "fires");
			return;
		}
		result(figure + ".samples", micros.length, "fires");
		result(figure + ".p50", percentile(micros, 0.50), "us");
		result(figure + ".p90", percentile(micros, 0.90), "us");
		result(figure + ".p99", percentile(micros, 0.99), "us");
		result(figure + ".p99_9", percentile(micros, 0.999), "us");
		result(figure + ".max", Math.max(0, micros[micros.length - 1]), "us");
	}

	/** The sample at the given fraction of the sorted samples; early starts count as 0. */
	private static long percentile(long[] sorted, double fraction) {
		return Math.max(0, sorted[(int) (sorted.length * fraction)]);
	}

	/** Heap per registered job and idle CPU with 100,000 jobs. */
	static void scale() throws Exception {
		int jobs = 100_000;
		ExecutorService executor = Executors.newFixedThreadPool(4);
		TickworkEngine engine = memoryEngine(executor, 4, JobListener.NO_OP).build();
		long before = usedHeapAfterGc();
		for (int i = 0; i < jobs; i++) {
			engine.register(JobDefinition.builder("job-" + i, Schedule.cron("0 0 3 * * *", java.time.ZoneOffset.UTC),
					(ctx) -> {
					}).build());
		}
		engine.start();
		long after = usedHeapAfterGc();
		result("scale.heap_per_job", (after - before) / (double) jobs, "bytes");
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		Thread.sleep(2000);
		long cpuBefore = os.getProcessCpuTime();
		long start = System.nanoTime();
		Thread.sleep(10_000);
		double cpu = (os.getProcessCpuTime() - cpuBefore) / (double) (System.nanoTime() - start);
		result("scale.idle_cpu", cpu * 100, "percent_of_a_core");
		engine.stop();
		executor.shutdownNow();
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 4; i++) {
			System.gc();
			Thread.sleep(200);
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	/** An engine on the Redis store with history on; the store is closed by the caller. */
	private static TickworkEngine redisEngine(RedisJobStore store, ExecutorService executor, int maxConcurrent,
			String instanceId, JobListener listener) {
		return TickworkEngine.builder()
			.executor(executor)
			.state(new RedisJobStateStore(store))
			.lock(new RedisJobLock(store, true))
			.history(new RedisJobHistory(store))
			.listener(listener)
			.instanceId(instanceId)
			.maxConcurrent(maxConcurrent)
			.build();
	}

	private static RedisJobStore redisStore(LettuceConnectionFactory factory) {
		return new RedisJobStore(new StringRedisTemplate(factory),
				new RedisJobStore.Settings("tickwork:", Duration.ofSeconds(2), 64, 100, Duration.ofHours(1), 10_000),
				Clock.systemUTC());
	}

	/**
	 * Executions per second and round trips per execution on Redis: Tickwork against
	 * Spring + ShedLock, each in a JVM of its own with this JVM's options, so that neither
	 * runs on code the other made the JIT compile, one after the other on one Redis.
	 */
	static void redisPath() throws Exception {
		int seconds = Integer.getInteger("redis.seconds", 20);
		try (Redis redis = Redis.start()) {
			for (String peer : List.of("tickwork", "shedlock")) {
				redis.command("FLUSHALL");
				List<String> command = new ArrayList<>();
				command.add(ProcessHandle.current().info().command().orElse("java"));
				command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
				command.addAll(List.of("-cp", System.getProperty("java.class.path"), Harness.class.getName(),
						"redis-peer", peer, String.valueOf(redis.port)));
				Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
				child.getInputStream().transferTo(System.out);
				if (child.waitFor() != 0) {
					throw new IllegalStateException("The " + peer + " run failed");
				}
			}
		}
		System.out.printf("INFO redis %d jobs every %dms (demand %d fires/s), %d threads each, %ds warm-up, %ds "
				+ "measured, each in its own JVM; Tickwork with history on; Spring ThreadPoolTaskScheduler + ShedLock "
				+ "RedisLockProvider (lockAtMostFor 30s, lockAtLeastFor 0), no history%n", REDIS_JOBS,
				REDIS_INTERVAL.toMillis(), REDIS_JOBS * 1000 / REDIS_INTERVAL.toMillis(), REDIS_THREADS,
				REDIS_WARM_UP_SECONDS, seconds);
	}

	private static final int REDIS_JOBS = Integer.getInteger("redis.jobs", 2000);

	private static final int REDIS_THREADS = 16;

	private static final Duration REDIS_INTERVAL = Duration.ofMillis(20);

	private static final int REDIS_WARM_UP_SECONDS = 15;

	/** One peer of the Redis figure, on the Redis at the given port. */
	static void redisPeer(String peer, int port) throws Exception {
		int seconds = Integer.getInteger("redis.seconds", 20);
		Redis redis = Redis.attach(port);
		LettuceConnectionFactory factory = redis.connectionFactory();
		LongAdder executed = new LongAdder();
		Runnable stop;
		if (peer.equals("tickwork")) {
			RedisJobStore store = redisStore(factory);
			JobListener counting = new JobListener() {
				@Override
				public void onSucceeded(JobExecution execution) {
					executed.increment();
				}
			};
			ExecutorService executor = Executors.newFixedThreadPool(REDIS_THREADS);
			TickworkEngine engine = redisEngine(store, executor, REDIS_THREADS, "local", counting);
			for (int i = 0; i < REDIS_JOBS; i++) {
				engine.register(JobDefinition.builder("job-" + i, Schedule.every(REDIS_INTERVAL), (ctx) -> {
				}).build());
			}
			engine.start();
			stop = () -> {
				engine.stop();
				executor.shutdownNow();
				store.close();
			};
		}
		else {
			RedisLockProvider provider = new RedisLockProvider(factory, "bench");
			LockingTaskExecutor locking = new DefaultLockingTaskExecutor(provider);
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setPoolSize(REDIS_THREADS);
			scheduler.initialize();
			Instant first = Instant.now().plusSeconds(1);
			for (int i = 0; i < REDIS_JOBS; i++) {
				String name = "job-" + i;
				scheduler.scheduleAtFixedRate(() -> locking.executeWithLock((Runnable) executed::increment,
						new LockConfiguration(Instant.now(), name, Duration.ofSeconds(30), Duration.ZERO)), first,
						REDIS_INTERVAL);
			}
			stop = scheduler::shutdown;
		}
		Thread.sleep(REDIS_WARM_UP_SECONDS * 1000L);
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		Map<String, Long> before = redis.commandStats();
		double redisCpuBefore = redis.cpuSeconds();
		long cpuBefore = os.getProcessCpuTime();
		long executedBefore = executed.sum();
		long start = System.nanoTime();
		Thread.sleep(seconds * 1000L);
		long executions = executed.sum() - executedBefore;
		double elapsed = (System.nanoTime() - start) / 1e9;
		long cpu = os.getProcessCpuTime() - cpuBefore;
		double redisCpu = redis.cpuSeconds() - redisCpuBefore;
		Map<String, Long> after = redis.commandStats();
		stop.run();
		factory.destroy();
		result("redis." + peer + ".executions_per_second", executions / elapsed, "executions/s");
		long calls = peer.equals("tickwork") ? delta(before, after, "evalsha") + delta(before, after, "eval")
				: totalDelta(before, after);
		result("redis." + peer + ".round_trips_per_execution", calls / (double) Math.max(1, executions),
				"round_trips");
		result("redis." + peer + ".commands_per_execution",
				totalDelta(before, after) / (double) Math.max(1, executions), "commands_incl_in_scripts");
		result("redis." + peer + ".client_cpu_per_execution", cpu / 1000.0 / Math.max(1, executions), "us");
		result("redis." + peer + ".server_cpu_per_execution", redisCpu * 1e6 / Math.max(1, executions), "us");
	}

	private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
		return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
	}

	private static long totalDelta(Map<String, Long> before, Map<String, Long> after) {
		long total = 0;
		for (String command : after.keySet()) {
			if (!command.equals("info")) {
				total += delta(before, after, command);
			}
		}
		return total;
	}

	/** Three engines on one Redis, 1,000 one-second jobs: fires executed, duplicates, spread. */
	static void cluster(int seconds) throws Exception {
		try (Redis redis = Redis.start()) {
			int jobs = 1000;
			Map<String, LongAdder> runsPerFire = new ConcurrentHashMap<>();
			Map<String, LongAdder> perInstance = new ConcurrentHashMap<>();
			List<Runnable> cleanup = new ArrayList<>();
			List<TickworkEngine> engines = new ArrayList<>();
			for (int n = 0; n < 3; n++) {
				String instance = "node-" + n;
				LettuceConnectionFactory factory = redis.connectionFactory();
				RedisJobStore store = redisStore(factory);
				ExecutorService executor = Executors.newFixedThreadPool(8);
				TickworkEngine engine = redisEngine(store, executor, 8, instance, JobListener.NO_OP);
				for (int i = 0; i < jobs; i++) {
					String name = "job-" + i;
					engine.register(JobDefinition.builder(name, Schedule.every(Duration.ofSeconds(1)), (ctx) -> {
						runsPerFire.computeIfAbsent(name + "@" + ctx.scheduledTime(), (k) -> new LongAdder()).increment();
						perInstance.computeIfAbsent(instance, (k) -> new LongAdder()).increment();
					}).build());
				}
				engines.add(engine);
				cleanup.add(() -> {
					executor.shutdownNow();
					store.close();
					factory.destroy();
				});
			}
			engines.forEach(TickworkEngine::start);
			Instant from = Instant.now().plusSeconds(2);
			Thread.sleep(seconds * 1000L);
			Instant to = Instant.now().minusSeconds(2);
			engines.forEach(TickworkEngine::stop);
			cleanup.forEach(Runnable::run);
			long fires = runsPerFire.size();
			long duplicates = runsPerFire.values().stream().filter((runs) -> runs.sum() > 1).count();
			long due = 0;
			long missing = 0;
			for (int i = 0; i < jobs; i++) {
				String name = "job-" + i;
				Schedule schedule = Schedule.every(Duration.ofSeconds(1)).forJob(name);
				for (Instant fire = schedule.next(from).orElseThrow(); fire.isBefore(to); fire = schedule.next(fire)
					.orElseThrow()) {
					due++;
					if (!runsPerFire.containsKey(name + "@" + fire)) {
						missing++;
					}
				}
			}
			result("cluster.fires_executed", fires, "fires");
			result("cluster.fires_due_in_window", due, "fires");
			result("cluster.fires_missing_in_window", missing, "fires");
			result("cluster.duplicates", duplicates, "fires");
			Map<String, Long> spread = new HashMap<>();
			perInstance.forEach((instance, runs) -> spread.put(instance, runs.sum()));
			for (int n = 0; n < 3; n++) {
				result("cluster.share.node-" + n, 100.0 * spread.getOrDefault("node-" + n, 0L) / Math.max(1, fires),
						"percent");
			}
		}
	}

	/** A private redis-server on a free port, in a session of its own where possible. */
	static final class Redis implements AutoCloseable {

		private static final String SETSID = "/usr/bin/setsid";

		private final Process process;

		final int port;

		private Redis(Process process, int port) {
			this.process = process;
			this.port = port;
		}

		static Redis start() throws Exception {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no"));
			if (new File(SETSID).canExecute()) {
				// a session of its own, as a service has: Linux's autogroup scheduler then gives
				// Redis its own share of the CPU instead of one thread's share among the JVMs'
				command.add(0, SETSID);
			}
			Process process = new ProcessBuilder(command).redirectOutput(new File("/dev/null")).start();
			Redis redis = new Redis(process, port);
			for (int i = 0; i < 100; i++) {
				try {
					if ("PONG".equals(redis.command("PING"))) {
						return redis;
					}
				}
				catch (Exception ex) {
					Thread.sleep(50);
				}
			}
			throw new IllegalStateException("redis-server did not start");
		}

		/** A Redis started by another process, which that process stops. */
		static Redis attach(int port) {
			return new Redis(null, port);
		}

		LettuceConnectionFactory connectionFactory() {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", this.port));
			factory.afterPropertiesSet();
			factory.start();
			return factory;
		}

		String command(String... args) throws Exception {
			Process cli = new ProcessBuilder(concat(new String[] { "redis-cli", "-p", String.valueOf(this.port) }, args))
				.redirectErrorStream(true)
				.start();
			String output = new String(cli.getInputStream().readAllBytes()).trim();
			cli.waitFor(10, TimeUnit.SECONDS);
			return output;
		}

		Map<String, Long> commandStats() throws Exception {
			Map<String, Long> stats = new HashMap<>();
			for (String line : command("INFO", "commandstats").split("\n")) {
				if (line.startsWith("cmdstat_")) {
					String name = line.substring(8, line.indexOf(':'));
					String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
					stats.put(name, Long.parseLong(calls));
				}
			}
			return stats;
		}

		/** The CPU time Redis's process used so far, user and system, in seconds. */
		double cpuSeconds() throws Exception {
			double seconds = 0;
			for (String line : command("INFO", "cpu").split("\n")) {
				if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
					seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
				}
			}
			return seconds;
		}

		private static String[] concat(String[] a, String[] b) {
			String[] result = Arrays.copyOf(a, a.length + b.length);
			System.arraycopy(b, 0, result, a.length, b.length);
			return result;
		}

		@Override
		public void close() {
			if (this.process != null) {
				this.process.destroyForcibly();
			}
		}

	}

}
