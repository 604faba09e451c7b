package io.tickwork.autoconfigure;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tickwork.JobQueue;
import io.tickwork.JobScheduler;
import io.tickwork.actuate.JobsHealthIndicator;
import io.tickwork.actuate.QueuesHealthIndicator;
import io.tickwork.history.JobHistory;

/**
 * Auto-configuration of the {@code jobs} and {@code queues} health contributors
 * ({@code management.health.jobs.enabled}, {@code management.health.queues.enabled}).
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@AutoConfiguration(after = { TickworkAutoConfiguration.class, TickworkQueueAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(JobScheduler.class)
@ConditionalOnBooleanProperty(name = "tickwork.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("jobs")
@EnableConfigurationProperties({ TickworkProperties.class, TickworkQueueProperties.class })
public final class TickworkHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "jobsHealthIndicator")
	JobsHealthIndicator jobsHealthIndicator(JobScheduler scheduler, TickworkProperties properties) {
		return new JobsHealthIndicator(scheduler, properties.getHealth().getFailureThreshold(), Clock.systemUTC());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(JobQueue.class)
	@ConditionalOnEnabledHealthIndicator("queues")
	static class QueuesHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "queuesHealthIndicator")
		QueuesHealthIndicator queuesHealthIndicator(JobQueue queue, JobHistory history,
				TickworkQueueProperties properties) {
			return new QueuesHealthIndicator(queue, history, properties.getHealth().getMaxWait(), Clock.systemUTC());
		}

	}

}
