package io.tickwork.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.tickwork.JobListener;
import io.tickwork.engine.CompositeJobListener;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.history.JobHistory;
import io.tickwork.queue.InMemoryQueueStore;
import io.tickwork.queue.PayloadCodec;
import io.tickwork.queue.QueueEngine;
import io.tickwork.queue.QueueObserver;
import io.tickwork.queue.QueueStore;

/**
 * Auto-configuration of queued jobs: the {@link io.tickwork.JobQueue} ({@link QueueEngine}),
 * the discovery of {@code @JobHandler} methods, the payload codec on the application's
 * JSON mapper, and the in-memory queue store when no other store is configured (the
 * Redis one comes from {@link TickworkRedisAutoConfiguration}).
 *
 * @author Tickwork team
 * @since 0.2.0
 */
@AutoConfiguration(after = { TickworkAutoConfiguration.class, TickworkRedisAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties({ TickworkProperties.class, TickworkQueueProperties.class })
public final class TickworkQueueAutoConfiguration {

	@Bean
	static JobHandlerBeanPostProcessor jobHandlerBeanPostProcessor(ObjectProvider<TickworkProperties> properties,
			ObjectProvider<TickworkQueueProperties> queueProperties) {
		return new JobHandlerBeanPostProcessor(properties, queueProperties);
	}

	@Bean
	@ConditionalOnMissingBean
	QueueStore tickworkQueueStore() {
		return new InMemoryQueueStore();
	}

	@Bean
	@ConditionalOnMissingBean
	QueueEngine tickworkQueueEngine(QueueStore store, PayloadCodec codec, TickworkEngine engine, JobHistory history,
			ObjectProvider<JobListener> listeners, ObjectProvider<QueueObserver> observers, TickworkProperties properties,
			TickworkQueueProperties queue, Environment environment) {
		HandlerDefinitionResolver resolver = new HandlerDefinitionResolver(properties, queue, environment, null);
		List<QueueObserver> all = observers.orderedStream().toList();
		QueueObserver observer = (all.size() == 1) ? all.get(0) : new Observers(all);
		return QueueEngine.builder()
			.store(store, !(store instanceof InMemoryQueueStore))
			.codec(codec)
			.history(history)
			.listener(new CompositeJobListener(listeners.orderedStream().toList()))
			.observer(observer)
			.instanceId(engine.instanceId())
			.lease(properties.getRedis().getLockTtl())
			.settings(resolver::settings)
			.pollInterval(queue.getPollInterval())
			.outcomePollInterval(queue.getOutcomePollInterval())
			.shutdownTimeout(properties.getShutdown().getAwaitTermination())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	QueueLifecycle tickworkQueueLifecycle(QueueEngine engine, TickworkProperties properties) {
		return new QueueLifecycle(engine, properties.isEnabled());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
	static class JacksonCodecConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PayloadCodec tickworkPayloadCodec(ObjectProvider<tools.jackson.databind.json.JsonMapper> mapper) {
			return new JacksonPayloadCodec(mapper.getIfAvailable(() -> tools.jackson.databind.json.JsonMapper.builder()
				.findAndAddModules()
				.build()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("tools.jackson.databind.json.JsonMapper")
	static class NoJsonConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PayloadCodec tickworkPayloadCodec() {
			return new PayloadCodec() {

				@Override
				public String write(Object payload) {
					throw new IllegalStateException("Tickwork has no JSON mapper for queued jobs' payloads: add "
							+ "spring-boot-starter-jackson, or define a PayloadCodec bean");
				}

				@Override
				public Object read(String json, java.lang.reflect.Type type) {
					return write(json);
				}

			};
		}

	}

	/** Calls every observer. */
	private record Observers(List<QueueObserver> observers) implements QueueObserver {

		@Override
		public void enqueued(String type) {
			this.observers.forEach((observer) -> observer.enqueued(type));
		}

		@Override
		public void waited(String type, java.time.Duration wait) {
			this.observers.forEach((observer) -> observer.waited(type, wait));
		}

		@Override
		public void deadLettered(String type) {
			this.observers.forEach((observer) -> observer.deadLettered(type));
		}

	}

}
