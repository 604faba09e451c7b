package io.tickwork.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.Delay;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.ClusterLocks;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.JobLock;
import io.tickwork.queue.QueueStore;
import io.tickwork.redis.RedisJobHistory;
import io.tickwork.redis.RedisJobLock;
import io.tickwork.redis.RedisJobStateStore;
import io.tickwork.redis.RedisJobStore;
import io.tickwork.redis.RedisQueueStore;
import io.tickwork.redis.ScriptCallObservationPredicate;
import io.tickwork.state.JobStateStore;

/**
 * Auto-configuration of Tickwork's Redis store, used when a
 * {@link RedisConnectionFactory} bean exists (Spring Boot's {@code spring.data.redis.*})
 * unless {@code tickwork.store=memory}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@AutoConfiguration(before = TickworkAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(prefix = "tickwork", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(TickworkRedisAutoConfiguration.NotMemoryStore.class)
@EnableConfigurationProperties(TickworkProperties.class)
public final class TickworkRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisJobStore tickworkRedisJobStore(RedisConnectionFactory connectionFactory, TickworkProperties properties) {
		TickworkProperties.Redis redis = properties.getRedis();
		RedisJobStore.Settings settings = new RedisJobStore.Settings(redis.getKeyPrefix(), redis.getCommandTimeout(),
				redis.getFireWindow(), properties.getHistory().getMaxPerJob(), properties.getHistory().getTtl(),
				redis.getBufferSize(), redis.getSlotGroups());
		return new RedisJobStore(new StringRedisTemplate(connectionFactory), settings, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	JobStateStore tickworkJobStateStore(RedisJobStore store) {
		return new RedisJobStateStore(store);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "tickwork.history", name = "enabled", havingValue = "true", matchIfMissing = true)
	JobHistory tickworkJobHistory(RedisJobStore store) {
		return new RedisJobHistory(store);
	}

	@Bean
	@ConditionalOnMissingBean
	JobLock tickworkJobLock(RedisJobStore store, JobHistory history) {
		return new RedisJobLock(store, history instanceof RedisJobHistory);
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterLocks tickworkClusterLocks(RedisJobStore store, TickworkEngine engine, TickworkProperties properties) {
		return new ClusterLocks(new RedisJobLock(store, false), engine.instanceId(),
				properties.getRedis().getLockTtl(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean(QueueStore.class)
	RedisQueueStore tickworkQueueStore(RedisJobStore store) {
		return new RedisQueueStore(store);
	}

	@Bean
	TickworkEngineCustomizer tickworkRedisMaintenance(RedisJobStore store) {
		return (builder) -> builder.maintenance(store::maintain).storeDescription(store.describe());
	}

	/**
	 * Lettuce reconnects within {@code tickwork.redis.max-reconnect-delay} of Redis being
	 * back, instead of after a backoff of up to 30 s.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.lettuce.core.resource.ClientResources",
			"org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer" })
	static class LettuceReconnectConfiguration {

		@Bean
		ClientResourcesBuilderCustomizer tickworkReconnectDelay(TickworkProperties properties) {
			Duration max = properties.getRedis().getMaxReconnectDelay();
			return (builder) -> {
				if (max != null && !max.isNegative() && !max.isZero()) {
					builder.reconnectDelay(Delay.exponential(Duration.ZERO, max, 2, TimeUnit.MILLISECONDS));
				}
			};
		}

	}

	/**
	 * Tickwork's script calls stay out of Lettuce's command observations unless
	 * {@code tickwork.redis.observe-commands=true}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.lettuce.core.tracing.LettuceObservationContext",
			"io.micrometer.observation.ObservationPredicate" })
	@ConditionalOnProperty(prefix = "tickwork.redis", name = "observe-commands", havingValue = "false",
			matchIfMissing = true)
	static class LettuceObservationConfiguration {

		@Bean
		ScriptCallObservationPredicate tickworkScriptCallObservationPredicate() {
			return new ScriptCallObservationPredicate();
		}

	}

	static class NotMemoryStore extends NoneNestedConditions {

		NotMemoryStore() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(prefix = "tickwork", name = "store", havingValue = "memory")
		static class MemoryStore {

		}

	}

}
