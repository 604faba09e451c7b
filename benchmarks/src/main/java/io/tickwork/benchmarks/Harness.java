package io.tickwork.benchmarks;

import java.lang.management.ManagementFactory;
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
import java.util.concurrent.atomic.LongAdder;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.engine.CompositeJobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.engine.TickworkEngineBuilder;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.redis.RedisJobStore;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.InMemoryJobStateStore;

/**
 * The end-to-end benchmark harness. Each figure is printed on one line,
 * {@code RESULT <figure> <value> <unit>}, for a script to read; peers run in the same
 * process, one after the other.
 * <p>
 * Usage: {@code java -cp tickwork-benchmarks.jar io.tickwork.benchmarks.Harness
 * [engine|precision|redis|redis-cluster|scale|cluster|all]...}; system properties
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
				: (args[0].equals("redis-peer") || args[0].equals("queue-peer")) ? List.of(args[0]) : Arrays.asList(args);
		System.out.printf("INFO machine cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version"));
		for (String figure : figures) {
			switch (figure) {
				case "engine" -> engineThroughput();
				case "precision" -> Precision.precision(Integer.getInteger("precision.seconds", 60),
					Integer.getInteger("precision.warmup", 20), Integer.getInteger("precision.rounds", 3));
				case "redis" -> RedisPath.redisPath();
				case "boot" -> RedisPath.bootPath();
				case "redis-peer" -> RedisPath.redisPeer(args[1], Integer.parseInt(args[2]));
				case "scale" -> scale();
				case "cluster" -> cluster(Integer.getInteger("cluster.seconds", 60));
				case "redis-cluster" -> ClusterPath.clusterVersusStandalone();
				case "queue" -> QueuePath.turns();
				case "queue-peer" -> QueuePath.peer(args[1], Integer.parseInt(args[2]));
				default -> throw new IllegalArgumentException("Unknown figure " + figure);
			}
		}
		System.exit(0);
	}

	static void result(String figure, double value, String unit) {
		System.out.printf("RESULT %s %.3f %s%n", figure, value, unit);
	}

	static TickworkEngineBuilder memoryEngine(ExecutorService executor, int maxConcurrent,
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

	static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 4; i++) {
			System.gc();
			Thread.sleep(200);
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
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
				RedisJobStore store = RedisPath.redisStore(factory);
				ExecutorService executor = Executors.newFixedThreadPool(8);
				TickworkEngine engine = RedisPath.redisEngine(store, executor, 8, instance, JobListener.NO_OP);
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

}
