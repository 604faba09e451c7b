package io.tickwork.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.redis.RedisJobStore;
import io.tickwork.schedule.Schedule;

/**
 * The Redis Cluster figure: one instance's throughput with the same load on a standalone
 * Redis and on a Redis Cluster of three masters, in turns (standalone, cluster, cluster,
 * standalone), with the script calls and Redis CPU (all masters together) per execution.
 */
final class ClusterPath {

	private static final int JOBS = Integer.getInteger("redis-cluster.jobs", 1000);

	private static final Duration INTERVAL = Duration.ofMillis(100);

	private static final int THREADS = 16;

	private static final int WARM_UP_SECONDS = 10;

	private ClusterPath() {
	}

	static void clusterVersusStandalone() throws Exception {
		int seconds = Integer.getInteger("redis-cluster.seconds", 20);
		List<Redis> masters = new ArrayList<>();
		try (Redis standalone = Redis.start()) {
			for (int i = 0; i < 3; i++) {
				masters.add(Redis.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"));
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			masters.forEach((master) -> create.add("127.0.0.1:" + master.port));
			create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
			Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
			cli.getInputStream().readAllBytes();
			if (cli.waitFor() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed");
			}
			for (Redis master : masters) {
				while (!master.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
					Thread.sleep(50);
				}
			}
			for (String turn : List.of("standalone", "cluster", "cluster", "standalone")) {
				List<Redis> nodes = turn.equals("cluster") ? masters : List.of(standalone);
				for (Redis node : nodes) {
					node.command("FLUSHALL");
				}
				LettuceConnectionFactory factory = turn.equals("cluster") ? clusterFactory(masters)
						: standalone.connectionFactory();
				try {
					run(turn, factory, nodes, seconds);
				}
				finally {
					factory.destroy();
				}
			}
		}
		finally {
			masters.forEach(Redis::close);
		}
		System.out.printf("INFO redis-cluster %d jobs every %dms on one instance of %d threads, %ds warm-up, %ds "
				+ "measured per turn; a standalone Redis against a Redis Cluster of 3 masters, in turns%n", JOBS,
				INTERVAL.toMillis(), THREADS, WARM_UP_SECONDS, seconds);
	}

	private static LettuceConnectionFactory clusterFactory(List<Redis> masters) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(masters.stream().map((master) -> "127.0.0.1:" + master.port).toList()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static void run(String turn, LettuceConnectionFactory factory, List<Redis> nodes, int seconds)
			throws Exception {
		LongAdder executed = new LongAdder();
		JobListener counting = new JobListener() {
			@Override
			public void onSucceeded(JobExecution execution) {
				executed.increment();
			}
		};
		RedisJobStore store = RedisPath.redisStore(factory);
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		TickworkEngine engine = RedisPath.redisEngine(store, executor, THREADS, "local", counting);
		for (int i = 0; i < JOBS; i++) {
			engine.register(JobDefinition.builder("job-" + i, Schedule.every(INTERVAL), (ctx) -> {
			}).build());
		}
		engine.start();
		try {
			Thread.sleep(WARM_UP_SECONDS * 1000L);
			long callsBefore = scriptCalls(nodes);
			double cpuBefore = cpuSeconds(nodes);
			long executedBefore = executed.sum();
			long start = System.nanoTime();
			Thread.sleep(seconds * 1000L);
			long executions = executed.sum() - executedBefore;
			double elapsed = (System.nanoTime() - start) / 1e9;
			long calls = scriptCalls(nodes) - callsBefore;
			double cpu = cpuSeconds(nodes) - cpuBefore;
			String figure = "redis_cluster." + turn;
			Harness.result(figure + ".executions_per_second", executions / elapsed, "executions/s");
			Harness.result(figure + ".script_calls_per_execution", (double) calls / Math.max(1, executions), "calls");
			Harness.result(figure + ".server_cpu_per_execution", cpu * 1e6 / Math.max(1, executions), "us");
			System.out.printf("INFO redis-cluster turn %s pressure %s%n", turn, pressure());
		}
		finally {
			engine.stop();
			executor.shutdownNow();
			store.close();
		}
	}

	private static long scriptCalls(List<Redis> nodes) throws Exception {
		long calls = 0;
		for (Redis node : nodes) {
			Map<String, Long> stats = node.commandStats();
			calls += stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L);
		}
		return calls;
	}

	private static double cpuSeconds(List<Redis> nodes) throws Exception {
		double seconds = 0;
		for (Redis node : nodes) {
			seconds += node.cpuSeconds();
		}
		return seconds;
	}

	static String pressure() {
		try {
			return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/pressure/cpu")).get(0);
		}
		catch (Exception ex) {
			return "unknown";
		}
	}

}
