package io.tickwork.autoconfigure;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.util.StringUtils;

import io.tickwork.ClusterLocks;
import io.tickwork.JobListener;
import io.tickwork.engine.CompositeJobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.engine.TickworkEngineBuilder;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.lock.JobLock;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.state.JobStateStore;

/**
 * Auto-configuration of Tickwork: the engine, its lifecycle, the discovery of
 * {@code @ScheduledJob} methods, and in-memory stores when no other store is configured.
 * With {@code tickwork.enabled=false} the engine and its jobs are still there, in memory,
 * so that applications that inject {@link io.tickwork.JobScheduler} start and tests can
 * run a job on demand, but nothing fires on its own schedule.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@AutoConfiguration
@EnableConfigurationProperties(TickworkProperties.class)
public final class TickworkAutoConfiguration {

	@Bean
	static ScheduledJobBeanPostProcessor scheduledJobBeanPostProcessor(ObjectProvider<TickworkProperties> properties) {
		return new ScheduledJobBeanPostProcessor(properties);
	}

	@Bean
	static LazyInitializationExcludeFilter scheduledJobLazyInitializationExcludeFilter() {
		return new ScheduledJobLazyInitializationExcludeFilter();
	}

	@Bean
	@ConditionalOnMissingBean
	TickworkEngine tickworkEngine(TickworkProperties properties, TickworkExecutor executor, JobLock lock,
			JobHistory history, JobStateStore state, ObjectProvider<JobListener> listeners,
			ObjectProvider<TickworkEngineCustomizer> customizers, Environment environment) {
		JobDefinitionResolver resolver = new JobDefinitionResolver(properties, environment, null);
		TickworkEngineBuilder builder = TickworkEngine.builder()
			.executor(executor.getExecutor())
			.lock(lock)
			.history(history)
			.state(state)
			.listener(new CompositeJobListener(listeners.orderedStream().toList()))
			.instanceId(instanceId(properties))
			.tickInterval(properties.getTickInterval())
			.startLead(properties.getStartLead())
			.maxConcurrent(properties.getMaxConcurrent())
			.misfireThreshold(properties.getMisfireThreshold())
			.standbyDelay(properties.getStandbyDelay())
			.standbyMaxDelay(properties.getStandbyMaxDelay())
			.shutdownTimeout(properties.getShutdown().getAwaitTermination())
			.lockTtl(properties.getRedis().getLockTtl())
			.scheduling(properties.isEnabled())
			.definitionCustomizer(resolver::applyOverrides);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	private static String instanceId(TickworkProperties properties) {
		if (StringUtils.hasText(properties.getInstanceId())) {
			return properties.getInstanceId();
		}
		String host = System.getenv("HOSTNAME");
		if (!StringUtils.hasText(host)) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (Exception ex) {
				host = "localhost";
			}
		}
		return host + "-" + ProcessHandle.current().pid();
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterLocks tickworkClusterLocks(JobLock lock, TickworkEngine engine, TickworkProperties properties) {
		return new ClusterLocks(lock, engine.instanceId(), properties.getRedis().getLockTtl(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	TickworkLifecycle tickworkLifecycle(TickworkEngine engine) {
		return new TickworkLifecycle(engine);
	}

	@Bean
	@ConditionalOnMissingBean
	ApplicationEventJobListener tickworkApplicationEventJobListener(ApplicationEventPublisher publisher) {
		return new ApplicationEventJobListener(publisher);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnThreading(Threading.PLATFORM)
	static class PlatformThreadsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TickworkExecutor tickworkExecutor(TickworkProperties properties) {
			AtomicInteger count = new AtomicInteger();
			ThreadPoolExecutor executor = new ThreadPoolExecutor(properties.getMaxConcurrent(),
					properties.getMaxConcurrent(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (runnable) -> {
						Thread thread = new Thread(runnable, "tickwork-" + count.incrementAndGet());
						thread.setDaemon(true);
						return thread;
					});
			executor.allowCoreThreadTimeOut(true);
			return new TickworkExecutor(executor, executor::shutdown);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnThreading(Threading.VIRTUAL)
	static class VirtualThreadsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TickworkExecutor tickworkExecutor() {
			return new TickworkExecutor(new VirtualThreadTaskExecutor("tickwork-"), null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "tickwork", name = "store", havingValue = "redis")
	@ConditionalOnBooleanProperty(name = "tickwork.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean(type = "io.tickwork.redis.RedisJobStore")
	static class RedisRequiredConfiguration {

		@Bean
		Object tickworkRedisRequired() {
			throw new IllegalStateException("tickwork.store=redis but Tickwork found no Redis store: add "
					+ "spring-boot-starter-data-redis and configure spring.data.redis.* so that a "
					+ "RedisConnectionFactory bean exists, or set tickwork.store=auto or memory");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InMemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JobStateStore tickworkJobStateStore() {
			return new InMemoryJobStateStore();
		}

		@Bean
		@ConditionalOnMissingBean
		JobLock tickworkJobLock(JobStateStore state) {
			return new InMemoryJobLock(state, Clock.systemUTC());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnProperty(prefix = "tickwork.history", name = "enabled", havingValue = "true",
				matchIfMissing = true)
		JobHistory tickworkJobHistory(TickworkProperties properties) {
			return new InMemoryJobHistory(Clock.systemUTC(), properties.getHistory().getMaxPerJob(),
					properties.getHistory().getTtl());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "tickwork.history", name = "enabled", havingValue = "false")
	static class DisabledHistoryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JobHistory tickworkJobHistory() {
			return JobHistory.NONE;
		}

	}

}
