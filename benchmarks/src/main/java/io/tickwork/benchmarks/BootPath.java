package io.tickwork.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import io.tickwork.ClaimOutcome;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.JobScheduler;
import io.tickwork.SkipReason;
import io.tickwork.schedule.Schedule;

/**
 * The Redis figure the way users run each peer: a Spring Boot application. Tickwork with
 * the starter's auto-configuration (Redis store, history, listeners and events, metrics
 * with the actuator's registry, the default executor), jobs scheduled through
 * {@link JobScheduler}; ShedLock as its README sets it up ({@code @EnableSchedulerLock},
 * a {@code RedisLockProvider} bean, its {@code LockingTaskExecutor} around tasks that
 * Boot's auto-configured {@code TaskScheduler} runs).
 */
final class BootPath {

	private BootPath() {
	}

	/** Starts one peer's application on the Redis at the given port; it counts executions. */
	static Peer start(String peer, int port, int jobs, Duration interval, int threads, LongAdder executed) {
		String[] properties = { "spring.data.redis.port=" + port, "spring.main.banner-mode=off",
				"logging.level.root=WARN", "tickwork.max-concurrent=" + threads,
				"spring.task.scheduling.pool.size=" + threads, "management.health.redis.enabled=false" };
		if (peer.equals("tickwork-boot")) {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(TickworkApp.class)
				.web(WebApplicationType.NONE)
				.properties(properties)
				.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("counter", new Counter(executed)))
				.run();
			JobScheduler scheduler = context.getBean(JobScheduler.class);
			long start = System.nanoTime();
			for (int i = 0; i < jobs; i++) {
				scheduler.schedule("job-" + i, Schedule.every(interval), (job) -> {
				});
			}
			// on a running engine each call reads the job's last fire, pause and last execution
			System.out.printf("INFO %s scheduled %d jobs in %d ms%n", peer, jobs,
					(System.nanoTime() - start) / 1_000_000);
			return new Peer(context);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ShedLockApp.class)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		LockingTaskExecutor locking = context.getBean(LockingTaskExecutor.class);
		TaskScheduler scheduler = context.getBean(TaskScheduler.class);
		// several instances: ShedLock's README has lockAtLeastFor keep a short task's lock
		// past the other instances' (slightly different) fire times, so that a fire runs once
		Duration atLeast = (Integer.getInteger("redis.instances", 1) > 1) ? interval.multipliedBy(3).dividedBy(4)
				: Duration.ZERO;
		Instant first = Instant.now().plusSeconds(1);
		for (int i = 0; i < jobs; i++) {
			String name = "job-" + i;
			scheduler.scheduleAtFixedRate(() -> locking.executeWithLock((Runnable) executed::increment,
					new LockConfiguration(Instant.now(), name, Duration.ofSeconds(30), atLeast)), first,
					interval);
		}
		return new Peer(context);
	}

	/** A running peer's application, to close. */
	record Peer(ConfigurableApplicationContext context) implements AutoCloseable {

		@Override
		public void close() {
			this.context.close();
		}

	}

	/** Claims answered in this JVM, by outcome, and skipped fires, by reason. */
	static final Map<String, LongAdder> OUTCOMES = new ConcurrentHashMap<>();

	/** The counts of {@link #OUTCOMES}, as a snapshot. */
	static Map<String, Long> outcomes() {
		Map<String, Long> counts = new TreeMap<>();
		OUTCOMES.forEach((name, count) -> counts.put(name, count.sum()));
		return counts;
	}

	/** Counts successful executions, as a user's listener bean would, and claims by outcome. */
	record Counter(LongAdder executed) implements JobListener {

		@Override
		public void onSucceeded(JobExecution execution) {
			this.executed.increment();
		}

		@Override
		public void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
			OUTCOMES.computeIfAbsent("claim." + outcome, (name) -> new LongAdder()).increment();
		}

		@Override
		public void onSkipped(JobExecution execution, SkipReason reason) {
			OUTCOMES.computeIfAbsent("skipped." + reason, (name) -> new LongAdder()).increment();
		}

	}

	/** A Tickwork application: the starter, Spring Data Redis, the actuator. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TickworkApp {

	}

	/** A ShedLock application as its README sets it up, with Redis. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableScheduling
	@EnableSchedulerLock(defaultLockAtMostFor = "30s")
	static class ShedLockApp {

		@Bean
		LockProvider lockProvider(RedisConnectionFactory connectionFactory) {
			return new RedisLockProvider(connectionFactory, "bench");
		}

		@Bean
		LockingTaskExecutor lockingTaskExecutor(LockProvider lockProvider) {
			return new DefaultLockingTaskExecutor(lockProvider);
		}

	}

}
