package io.tickwork.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobScheduler;
import io.tickwork.ScheduledJob;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.lock.JobLock;
import io.tickwork.redis.RedisJobHistory;
import io.tickwork.ClusterLock;
import io.tickwork.ClusterLocks;
import io.tickwork.redis.RedisJobLock;
import io.tickwork.redis.RedisJobStateStore;
import io.tickwork.redis.RedisJobStore;
import io.tickwork.redis.ScriptCallObservationPredicate;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.state.JobStateStore;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TickworkRedisAutoConfiguration}.
 */
class TickworkRedisAutoConfigurationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void setUp() throws Exception {
		redis.flushAll();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					TickworkRedisAutoConfiguration.class, TickworkAutoConfiguration.class))
			.withPropertyValues(redis.spring().toArray(String[]::new));
	}

	@Test
	void usesRedisWhenAConnectionFactoryExists() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisJobStore.class);
			assertThat(context.getBean(JobStateStore.class)).isInstanceOf(RedisJobStateStore.class);
			assertThat(context.getBean(JobHistory.class)).isInstanceOf(RedisJobHistory.class);
			assertThat(context.getBean(JobLock.class)).isInstanceOf(RedisJobLock.class);
			assertThat(context.getBean(JobLock.class).recordsHistory()).isTrue();
			assertThat(context.getBean(RedisJobStore.class).describe())
				.isEqualTo("Redis at 127.0.0.1:" + redis.port() + ", keys under 'tickwork:'");
			ClusterLocks locks = context.getBean(ClusterLocks.class);
			try (ClusterLock held = locks.tryAcquire("setup").orElseThrow()) {
				assertThat(redis.command("HGET",
						context.getBean(RedisJobStore.class).stateKey("lock:setup"), "lock")).contains("|");
			}
		});
	}

	@Test
	void lettuceReconnectsAtMostAMaxReconnectDelayApart() {
		this.contextRunner.run((context) -> {
			Delay delay = context.getBean(ClientResources.class).reconnectDelay();
			assertThat(delay.createDelay(1)).isLessThanOrEqualTo(Duration.ofMillis(2));
			assertThat(delay.createDelay(30)).isEqualTo(Duration.ofSeconds(1));
		});
		this.contextRunner.withPropertyValues("tickwork.redis.max-reconnect-delay=250ms")
			.run((context) -> assertThat(context.getBean(ClientResources.class).reconnectDelay().createDelay(30))
				.isEqualTo(Duration.ofMillis(250)));
		this.contextRunner.withPropertyValues("tickwork.redis.max-reconnect-delay=0")
			.run((context) -> assertThat(context.getBean(ClientResources.class).reconnectDelay().createDelay(30))
				.as("Lettuce's own backoff").isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void memoryStoreCanBeForced() {
		this.contextRunner.withPropertyValues("tickwork.store=memory").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisJobStore.class);
			assertThat(context.getBean(JobLock.class)).isInstanceOf(InMemoryJobLock.class);
			assertThat(context.getBean(JobHistory.class)).isInstanceOf(InMemoryJobHistory.class);
			assertThat(context.getBean(JobStateStore.class)).isInstanceOf(InMemoryJobStateStore.class);
		});
	}

	@Test
	void backsOffToMemoryWhenSpringDataRedisIsAbsent() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TickworkRedisAutoConfiguration.class, TickworkAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(StringRedisTemplate.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisJobStore.class);
				assertThat(context.getBean(JobLock.class)).isInstanceOf(InMemoryJobLock.class);
			});
	}

	@Test
	void askingForRedisWithoutAConnectionFactoryFailsStartup() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TickworkRedisAutoConfiguration.class, TickworkAutoConfiguration.class))
			.withPropertyValues("tickwork.store=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tickwork.store=redis but Tickwork found no Redis store")
				.hasMessageContaining("RedisConnectionFactory"));
	}

	@Test
	void disabledHistoryIsNotWrittenByTheLock() {
		this.contextRunner.withPropertyValues("tickwork.history.enabled=false").run((context) -> {
			assertThat(context.getBean(JobHistory.class)).isSameAs(JobHistory.NONE);
			assertThat(context.getBean(JobLock.class).recordsHistory()).isFalse();
		});
	}

	@Test
	void backsOffToAUserLock() {
		this.contextRunner.withUserConfiguration(UserLock.class).run((context) -> {
			assertThat(context.getBean(JobLock.class)).isSameAs(context.getBean("userLock"));
			assertThat(context.getBean(JobHistory.class)).isInstanceOf(RedisJobHistory.class);
		});
	}

	@Test
	void commandTimeoutMustBeShorterThanTheLockTimeToLive() {
		this.contextRunner.withPropertyValues("tickwork.redis.lock-ttl=2s", "tickwork.redis.command-timeout=5s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageStartingWith("Invalid property 'tickwork.redis.command-timeout' with value 'PT5S'"));
	}

	@Test
	void annotatedJobsRunThroughRedisUnderTheConfiguredPrefix() throws Exception {
		this.contextRunner.withPropertyValues("tickwork.redis.key-prefix=app1:")
			.withUserConfiguration(Jobs.class)
			.run((context) -> {
				Jobs jobs = context.getBean(Jobs.class);
				assertThat(jobs.ran.await(10, TimeUnit.SECONDS)).isTrue();
				JobScheduler scheduler = context.getBean(JobScheduler.class);
				RedisJobStore store = context.getBean(RedisJobStore.class);
				assertThat(store.stateKey("redis-manual")).startsWith("app1:{g").endsWith("}:redis-manual");
				JobExecution run = scheduler.trigger("redis-manual").get(10, TimeUnit.SECONDS);
				assertThat(run.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
				assertThat(run.fencingToken()).isPositive();
				assertThat(scheduler.history("redis-manual", 10)).contains(run);
				assertThat(redis.command("EXISTS", store.stateKey("redis-manual"), store.stateKey("redis-manual") + ":history")).isEqualTo("2");
				scheduler.pause("redis-job");
				assertThat(redis.command("HGET", store.stateKey("redis-job"), "paused")).isEqualTo("1");
				assertThat(redis.command("SISMEMBER", "app1:paused-jobs", "redis-job")).isEqualTo("1");
			});
	}

	@Test
	void tickworksScriptCallsStayOutOfLettucesCommandObservations() {
		ApplicationContextRunner observed = this.contextRunner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					LettuceObservationAutoConfiguration.class))
			.withUserConfiguration(Jobs.class);
		observed.run((context) -> {
			assertThat(context).hasSingleBean(ScriptCallObservationPredicate.class);
			assertThat(context.getBean(JobScheduler.class).trigger("redis-manual").get(10, TimeUnit.SECONDS).status())
				.isEqualTo(ExecutionStatus.SUCCEEDED);
			context.getBean(StringRedisTemplate.class).opsForValue().set("application-key", "v");
			Set<String> operations = observedOperations(context.getBean(MeterRegistry.class));
			assertThat(operations).as("the application's own command").contains("SET");
			assertThat(operations).as("Tickwork's script calls").doesNotContain("EVALSHA");
		});
		observed.withPropertyValues("tickwork.redis.observe-commands=true").run((context) -> {
			assertThat(context).doesNotHaveBean(ScriptCallObservationPredicate.class);
			assertThat(context.getBean(JobScheduler.class).trigger("redis-manual").get(10, TimeUnit.SECONDS).status())
				.isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(observedOperations(context.getBean(MeterRegistry.class))).contains("EVALSHA");
		});
	}

	/** The tag values of Lettuce's command timers ({@code lettuce}): the commands it observed. */
	private static Set<String> observedOperations(MeterRegistry registry) {
		return registry.find("lettuce")
			.meters()
			.stream()
			.flatMap((meter) -> meter.getId().getTags().stream())
			.map(Tag::getValue)
			.collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserLock {

		@Bean
		JobLock userLock() {
			return new InMemoryJobLock(new InMemoryJobStateStore(), java.time.Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		final CountDownLatch ran = new CountDownLatch(1);

		@ScheduledJob(name = "redis-job", interval = "200ms")
		void run() {
			this.ran.countDown();
		}

		// never due within a test, so that a manual run cannot meet a scheduled one
		@ScheduledJob(name = "redis-manual", cron = "0 0 1 1 *")
		void manual() {
		}

	}

}
