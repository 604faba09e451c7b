package io.tickwork.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.redis.RedisJobHistory;
import io.tickwork.redis.RedisJobLock;
import io.tickwork.redis.RedisJobStateStore;
import io.tickwork.redis.RedisJobStore;
import io.tickwork.schedule.Schedule;

/**
 * The Redis figure: Tickwork against Spring with ShedLock on one Redis, each peer in a JVM of its own.
 */
final class RedisPath {

	private RedisPath() {
	}

	/** An engine on the Redis store with history on; the store is closed by the caller. */
	static TickworkEngine redisEngine(RedisJobStore store, ExecutorService executor, int maxConcurrent,
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

	static RedisJobStore redisStore(LettuceConnectionFactory factory) {
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
		turns(List.of("tickwork", "shedlock"));
	}

	/**
	 * The same figure through the Boot path, each peer as a Spring Boot application, in
	 * turns A B B A on one Redis.
	 */
	static void bootPath() throws Exception {
		turns(List.of(System.getProperty("redis.turns", "tickwork-boot,shedlock-boot,shedlock-boot,tickwork-boot")
			.split(",")));
	}

	private static void turns(List<String> peers) throws Exception {
		int seconds = Integer.getInteger("redis.seconds", 20);
		try (Redis redis = Redis.start()) {
			for (String peer : peers) {
				System.out.printf("INFO redis turn %s pressure %s%n", peer, ClusterPath.pressure());
				redis.command("FLUSHALL");
				List<String> command = new ArrayList<>();
				command.add(ProcessHandle.current().info().command().orElse("java"));
				command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
				command.addAll(List.of("-cp", System.getProperty("java.class.path"), Harness.class.getName(),
						"redis-peer", peer, String.valueOf(redis.port)));
				if (INSTANCES == 1) {
					Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
					child.getInputStream().transferTo(System.out);
					if (child.waitFor() != 0) {
						throw new IllegalStateException("The " + peer + " run failed");
					}
				}
				else {
					together(peer, command);
				}
			}
		}
		System.out.printf("INFO redis %d jobs every %dms (demand %d fires/s), %d threads each, %ds warm-up, %ds "
				+ "measured, each in its own JVM; Tickwork with history on; Spring ThreadPoolTaskScheduler + ShedLock "
				+ "RedisLockProvider (lockAtMostFor 30s, lockAtLeastFor 0), no history%n", REDIS_JOBS,
				REDIS_INTERVAL.toMillis(), REDIS_JOBS * 1000 / REDIS_INTERVAL.toMillis(), REDIS_THREADS,
				REDIS_WARM_UP_SECONDS, seconds);
	}

	/**
	 * Runs {@link #INSTANCES} JVMs of one peer at once on the same jobs, as instances of
	 * one application, and sums up what they did: executions/s added, Redis CPU per
	 * execution from the Redis CPU the instances saw over their measured windows.
	 */
	private static void together(String peer, List<String> command) throws Exception {
		List<Process> children = new ArrayList<>();
		List<java.util.concurrent.CompletableFuture<List<String>>> outputs = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
			children.add(child);
			outputs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> new java.io.BufferedReader(
					new java.io.InputStreamReader(child.getInputStream())).lines().toList()));
		}
		double executions = 0;
		double redisCpu = 0;
		double clientCpu = 0;
		for (int i = 0; i < INSTANCES; i++) {
			if (children.get(i).waitFor() != 0) {
				outputs.get(i).join().forEach(System.out::println);
				throw new IllegalStateException("The " + peer + " run failed");
			}
			double rate = 0;
			for (String line : outputs.get(i).join()) {
				if (line.startsWith("INFO ")) {
					System.out.println("INFO instance " + i + " " + line.substring(5));
				}
				else if (line.startsWith("RESULT ")) {
					String[] parts = line.split(" ");
					System.out.println("INFO instance " + i + " " + line.substring(7));
					double value = Double.parseDouble(parts[2]);
					if (parts[1].endsWith(".executions_per_second")) {
						rate = value;
						executions += value;
					}
					else if (parts[1].endsWith(".server_cpu_seconds_per_second")) {
						redisCpu += value / INSTANCES;
					}
					else if (parts[1].endsWith(".client_cpu_per_execution")) {
						clientCpu += value * rate;
					}
				}
			}
		}
		String figure = "redis." + peer + ".x" + INSTANCES;
		Harness.result(figure + ".executions_per_second", executions, "executions/s");
		Harness.result(figure + ".server_cpu_per_execution", redisCpu * 1e6 / Math.max(1, executions), "us");
		Harness.result(figure + ".client_cpu_per_execution", clientCpu / Math.max(1, executions), "us");
	}

	/** How many instances of each peer run at once; {@code -Dredis.instances}. */
	private static final int INSTANCES = Integer.getInteger("redis.instances", 1);

	private static final int REDIS_JOBS = Integer.getInteger("redis.jobs", 2000);

	private static final int REDIS_THREADS = 16;

	private static final Duration REDIS_INTERVAL = Duration.ofMillis(20);

	/**
	 * Seconds each peer runs before it is measured, after its jobs are scheduled;
	 * {@code -Dredis.warm-up}. Several JVMs on the two cores take longer to compile their
	 * hot code: 60 s then (with 15 s, three Tickwork JVMs spent most of their CPU in the JIT
	 * compiler while measured).
	 */
	private static final int REDIS_WARM_UP_SECONDS = Integer.getInteger("redis.warm-up",
			(Integer.getInteger("redis.instances", 1) > 1) ? 60 : 15);

	/** Waits until each of the {@link #INSTANCES} instances has reached the barrier of this name. */
	private static void barrier(Redis redis, String name) throws Exception {
		if (INSTANCES == 1) {
			return;
		}
		redis.command("INCR", name);
		long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
		while (Long.parseLong(redis.command("GET", name).trim()) < INSTANCES) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The other instances did not reach " + name);
			}
			Thread.sleep(100);
		}
	}

	/** One peer of the Redis figure, on the Redis at the given port. */
	static void redisPeer(String peer, int port) throws Exception {
		int seconds = Integer.getInteger("redis.seconds", 20);
		Redis redis = Redis.attach(port);
		LettuceConnectionFactory factory = redis.connectionFactory();
		LongAdder executed = new LongAdder();
		Runnable stop;
		if (peer.endsWith("-boot")) {
			BootPath.Peer app = BootPath.start(peer, port, REDIS_JOBS, REDIS_INTERVAL, REDIS_THREADS, executed);
			stop = app::close;
		}
		else if (peer.equals("tickwork")) {
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
		// several instances are measured over one window: each starts its warm-up once every
		// one has scheduled its jobs, and none stops while another one is still measured
		barrier(redis, "bench:scheduled");
		Thread.sleep(REDIS_WARM_UP_SECONDS * 1000L);
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		Map<String, Long> before = redis.commandStats();
		double redisCpuBefore = redis.cpuSeconds();
		long cpuBefore = os.getProcessCpuTime();
		long executedBefore = executed.sum();
		Map<String, Long> outcomesBefore = BootPath.outcomes();
		long start = System.nanoTime();
		Thread.sleep(seconds * 1000L);
		long executions = executed.sum() - executedBefore;
		double elapsed = (System.nanoTime() - start) / 1e9;
		long cpu = os.getProcessCpuTime() - cpuBefore;
		double redisCpu = redis.cpuSeconds() - redisCpuBefore;
		Map<String, Long> after = redis.commandStats();
		Map<String, Long> outcomes = BootPath.outcomes();
		barrier(redis, "bench:measured");
		stop.run();
		factory.destroy();
		Harness.result("redis." + peer + ".executions_per_second", executions / elapsed, "executions/s");
		outcomes.forEach((name, count) -> System.out.printf("INFO %s %s per execution %.3f%n", peer, name,
				(count - outcomesBefore.getOrDefault(name, 0L)) / (double) Math.max(1, executions)));
		long calls = peer.startsWith("tickwork") ? delta(before, after, "evalsha") + delta(before, after, "eval")
				: totalDelta(before, after);
		Harness.result("redis." + peer + ".round_trips_per_execution", calls / (double) Math.max(1, executions),
				"round_trips");
		Harness.result("redis." + peer + ".commands_per_execution",
				totalDelta(before, after) / (double) Math.max(1, executions), "commands_incl_in_scripts");
		after.keySet()
			.stream()
			.filter((name) -> !name.endsWith(Redis.USEC) && delta(before, after, name) > 0)
			.sorted()
			.forEach((name) -> System.out.printf("INFO %s redis %s per execution: %.3f calls, %.2f us%n", peer, name,
					delta(before, after, name) / (double) Math.max(1, executions),
					delta(before, after, name + Redis.USEC) / (double) Math.max(1, executions)));
		Harness.result("redis." + peer + ".client_cpu_per_execution", cpu / 1000.0 / Math.max(1, executions), "us");
		Harness.result("redis." + peer + ".server_cpu_per_execution", redisCpu * 1e6 / Math.max(1, executions), "us");
		Harness.result("redis." + peer + ".server_cpu_seconds_per_second", redisCpu / elapsed, "s/s");
	}

	private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
		return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
	}

	private static long totalDelta(Map<String, Long> before, Map<String, Long> after) {
		long total = 0;
		for (String command : after.keySet()) {
			if (!command.equals("info") && !command.endsWith(Redis.USEC)) {
				total += delta(before, after, command);
			}
		}
		return total;
	}

}
