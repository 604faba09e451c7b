package io.tickwork.benchmarks;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tickwork.JobHandler;
import io.tickwork.JobQueue;
import io.tickwork.JobRequest;

/**
 * The queue figure: enqueue, run, acknowledge and record trivial jobs, Tickwork as a
 * Spring Boot application with the starter on Redis against db-scheduler's one-time tasks
 * on the local PostgreSQL, each in a JVM of its own, in turns A B B A; then the wait from
 * enqueue to start at a moderate rate.
 */
final class QueuePath {

	private static final int WORKERS = 16;

	private static final int PRODUCERS = Integer.getInteger("queue.producers", 4);

	private static final int JOBS = Integer.getInteger("queue.jobs", 100_000);

	private static final int WARM_UP_JOBS = Integer.getInteger("queue.warm-up", 100_000);

	/** Jobs each producer enqueues per call: 1 calls enqueue, more calls the peers' list methods. */
	private static final int BATCH = Integer.getInteger("queue.batch", 1);

	private static final int RATE = Integer.getInteger("queue.rate", 1_000);

	private static final int RATE_SECONDS = Integer.getInteger("queue.rate-seconds", 10);

	private static final String JDBC = System.getProperty("queue.jdbc", "jdbc:postgresql://127.0.0.1:5432/test");

	private QueuePath() {
	}

	/** Runs both peers in turns, each in a child JVM. */
	static void turns() throws Exception {
		try (Redis redis = Redis.start()) {
			for (String peer : List.of("tickwork-queue", "db-scheduler", "db-scheduler", "tickwork-queue")) {
				System.out.printf("INFO queue turn %s pressure %s%n", peer, ClusterPath.pressure());
				redis.command("FLUSHALL");
				List<String> command = new ArrayList<>();
				command.add(ProcessHandle.current().info().command().orElse("java"));
				command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
				command.addAll(List.of("-cp", System.getProperty("java.class.path"), Harness.class.getName(),
						"queue-peer", peer, String.valueOf(redis.port)));
				Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
				child.getInputStream().transferTo(System.out);
				if (child.waitFor() != 0) {
					throw new IllegalStateException("The " + peer + " run failed");
				}
				System.out.printf("INFO queue turn %s done, pressure %s%n", peer, ClusterPath.pressure());
			}
		}
		System.out.printf("INFO queue %d jobs (after %d warm-up jobs) enqueued by %d threads, %d per call, %d workers; wait measured"
				+ " at %d jobs/s for %ds; Tickwork: Boot app, starter defaults (history, listeners, metrics) on Redis;"
				+ " db-scheduler: one-time task, PostgreSQL at %s, threads %d, lock-and-fetch polling (0.5, 3.0),"
				+ " immediate execution%n", JOBS, WARM_UP_JOBS, PRODUCERS, BATCH, WORKERS, RATE, RATE_SECONDS,
				JDBC, WORKERS);
	}

	/** One peer in this JVM. */
	static void peer(String peer, int port) throws Exception {
		LongAdder done = new LongAdder();
		long[] waits = new long[RATE * RATE_SECONDS + 1000];
		AtomicInteger waited = new AtomicInteger();
		LongConsumer onRun = (enqueuedNanos) -> {
			if (enqueuedNanos > 0) {
				int i = waited.getAndIncrement();
				if (i < waits.length) {
					waits[i] = System.nanoTime() - enqueuedNanos;
				}
			}
			done.increment();
		};
		Peer running = peer.equals("tickwork-queue") ? tickwork(port, onRun) : dbScheduler(onRun);
		Redis redis = Redis.attach(port);
		try {
			drain(running, done, WARM_UP_JOBS, false);
			com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
				.getOperatingSystemMXBean();
			Map<String, Long> before = redis.commandStats();
			double redisCpuBefore = redis.cpuSeconds();
			long cpuBefore = os.getProcessCpuTime();
			long start = System.nanoTime();
			drain(running, done, JOBS, false);
			double elapsed = (System.nanoTime() - start) / 1e9;
			long cpu = os.getProcessCpuTime() - cpuBefore;
			double redisCpu = redis.cpuSeconds() - redisCpuBefore;
			Map<String, Long> after = redis.commandStats();
			String figure = "queue." + peer;
			Harness.result(figure + ".jobs_per_second", JOBS / elapsed, "jobs/s");
			Harness.result(figure + ".client_cpu_per_job", cpu / 1000.0 / JOBS, "us");
			if (peer.equals("tickwork-queue")) {
				long calls = delta(before, after, "evalsha") + delta(before, after, "eval");
				long total = 0;
				for (String name : after.keySet()) {
					if (!name.equals("info") && !name.endsWith(Redis.USEC)) {
						total += delta(before, after, name);
					}
				}
				Harness.result(figure + ".round_trips_per_job", calls / (double) JOBS, "script_calls");
				Harness.result(figure + ".commands_per_job", total / (double) JOBS, "commands_incl_in_scripts");
				Harness.result(figure + ".server_cpu_per_job", redisCpu * 1e6 / JOBS, "us");
			}
			waited.set(0);
			drain(running, done, RATE * RATE_SECONDS, true);
			int n = Math.min(waited.get(), waits.length);
			long[] sorted = Arrays.copyOf(waits, n);
			Arrays.sort(sorted);
			Harness.result(figure + ".wait_p50_at_" + RATE + "_per_s", sorted[n / 2] / 1e3, "us");
			Harness.result(figure + ".wait_p99_at_" + RATE + "_per_s", sorted[(int) (n * 0.99)] / 1e3, "us");
		}
		finally {
			running.close();
		}
	}

	/** Enqueues jobs (as fast as possible, or at the moderate rate) and waits until all ran. */
	private static void drain(Peer peer, LongAdder done, int jobs, boolean paced) throws Exception {
		long target = done.sum() + jobs;
		if (paced) {
			long start = System.nanoTime();
			for (int i = 0; i < jobs; i++) {
				long due = start + i * 1_000_000_000L / RATE;
				while (System.nanoTime() < due) {
					Thread.onSpinWait();
				}
				peer.enqueue(System.nanoTime());
			}
		}
		else {
			ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
			for (int p = 0; p < PRODUCERS; p++) {
				int share = jobs / PRODUCERS + ((p < jobs % PRODUCERS) ? 1 : 0);
				producers.execute(() -> {
					if (BATCH > 1) {
						for (int i = 0; i < share; i += BATCH) {
							peer.enqueueAll(Math.min(BATCH, share - i));
						}
						return;
					}
					for (int i = 0; i < share; i++) {
						peer.enqueue(0);
					}
				});
			}
			producers.shutdown();
			producers.awaitTermination(10, TimeUnit.MINUTES);
		}
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		while (done.sum() < target) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + done.sum() + " of " + target + " jobs ran");
			}
			Thread.sleep(1);
		}
	}

	private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
		return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
	}

	/** A running peer: it enqueues one job carrying a time, and closes. */
	interface Peer extends AutoCloseable {

		void enqueue(long enqueuedNanos);

		/** Enqueues jobs with the peer's list method. */
		void enqueueAll(int count);

		@Override
		void close();

	}

	/** What the Tickwork handler bean calls; set before the application starts. */
	static volatile LongConsumer handled;

	private static Peer tickwork(int port, LongConsumer onRun) {
		handled = onRun;
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TickworkQueueApp.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.port=" + port, "spring.main.banner-mode=off", "logging.level.root=WARN",
					"tickwork.queue.concurrency=" + WORKERS, "management.health.redis.enabled=false")
			.run();
		JobQueue queue = context.getBean(JobQueue.class);
		return new Peer() {

			@Override
			public void enqueue(long enqueuedNanos) {
				queue.enqueue(JobRequest.of("bench", enqueuedNanos));
			}

			@Override
			public void enqueueAll(int count) {
				List<JobRequest> requests = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					requests.add(JobRequest.of("bench", 0L));
				}
				queue.enqueueAll(requests);
			}

			@Override
			public void close() {
				context.close();
			}

		};
	}

	private static Peer dbScheduler(LongConsumer onRun) throws Exception {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(JDBC);
		config.setUsername(System.getProperty("queue.jdbc-user", "postgres"));
		config.setMaximumPoolSize(WORKERS + PRODUCERS + 4);
		HikariDataSource dataSource = new HikariDataSource(config);
		createTable(dataSource);
		OneTimeTask<Long> task = Tasks.oneTime("bench", Long.class).execute((instance, context) -> {
			onRun.accept(instance.getData());
		});
		Scheduler scheduler = Scheduler.create(dataSource, task)
			.threads(WORKERS)
			.pollUsingLockAndFetch(0.5, 3.0)
			.pollingInterval(Duration.ofSeconds(1))
			.enableImmediateExecution()
			.build();
		scheduler.start();
		AtomicInteger ids = new AtomicInteger();
		return new Peer() {

			@Override
			public void enqueue(long enqueuedNanos) {
				scheduler.schedule(task.instance("j" + ids.incrementAndGet(), enqueuedNanos), Instant.now());
			}

			@Override
			public void enqueueAll(int count) {
				List<TaskInstance<?>> instances = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					instances.add(task.instance("j" + ids.incrementAndGet(), 0L));
				}
				scheduler.scheduleBatch(instances, Instant.now());
			}

			@Override
			public void close() {
				scheduler.stop();
				dataSource.close();
			}

		};
	}

	/** db-scheduler's table for PostgreSQL, as its README gives it, emptied. */
	private static void createTable(DataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("drop table if exists scheduled_tasks");
			statement.execute("create table scheduled_tasks (task_name text not null, task_instance text not null,"
					+ " task_data bytea, execution_time timestamp with time zone not null, picked boolean not null,"
					+ " picked_by text, last_success timestamp with time zone, last_failure timestamp with time zone,"
					+ " consecutive_failures int, last_heartbeat timestamp with time zone, version bigint not null,"
					+ " priority smallint, primary key (task_name, task_instance))");
			statement.execute("create index execution_time_idx on scheduled_tasks (execution_time)");
			statement.execute("create index last_heartbeat_idx on scheduled_tasks (last_heartbeat)");
			statement.execute("create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)");
		}
	}

	/** The handler of the Tickwork application, a bean with a {@code @JobHandler} method. */
	static class Handler {

		@JobHandler("bench")
		void run(long enqueuedNanos) {
			handled.accept(enqueuedNanos);
		}

	}

	/** The Tickwork application: the starter, Spring Data Redis, the actuator, one handler bean. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TickworkQueueApp {

		@Bean
		Handler benchHandler() {
			return new Handler();
		}

	}

}
