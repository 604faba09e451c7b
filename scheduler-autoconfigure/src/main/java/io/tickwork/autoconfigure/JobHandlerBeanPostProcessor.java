package io.tickwork.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;

import io.tickwork.JobHandler;
import io.tickwork.queue.HandlerDefinition;
import io.tickwork.queue.QueueEngine;

/**
 * Finds {@link JobHandler} methods on beans, resolves and validates each into a
 * {@link HandlerDefinition} as the bean is created (so that a bad declaration fails that
 * bean's creation, with all its bad methods at once), and registers them with the
 * {@link QueueEngine} once every singleton exists.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class JobHandlerBeanPostProcessor extends AnnotatedMethodsPostProcessor<JobHandler, HandlerDefinition> {

	private final ObjectProvider<TickworkProperties> properties;

	private final ObjectProvider<TickworkQueueProperties> queueProperties;

	private final Map<String, HandlerDefinition> declared = new LinkedHashMap<>();

	private final List<HandlerDefinition> pending = new ArrayList<>();

	private HandlerDefinitionResolver resolver;

	private QueueEngine engine;

	/**
	 * Creates a new instance.
	 * @param properties the Tickwork properties, obtained when the first handler is found
	 * @param queueProperties the queue defaults, obtained when the first handler is found
	 */
	public JobHandlerBeanPostProcessor(ObjectProvider<TickworkProperties> properties,
			ObjectProvider<TickworkQueueProperties> queueProperties) {
		super(JobHandler.class);
		this.properties = properties;
		this.queueProperties = queueProperties;
	}

	@Override
	boolean isInfrastructure(Object bean) {
		return bean instanceof QueueEngine;
	}

	@Override
	HandlerDefinition resolve(Object bean, String beanName, Method method, JobHandler annotation) {
		if (this.resolver == null) {
			this.resolver = new HandlerDefinitionResolver(this.properties.getObject(), this.queueProperties.getObject(),
					environment(), valueResolver());
		}
		return this.resolver.resolve(bean, beanName, method, annotation);
	}

	@Override
	synchronized void register(HandlerDefinition handler) {
		HandlerDefinition existing = this.declared.putIfAbsent(handler.type(), handler);
		if (existing != null) {
			throw new InvalidJobDefinitionException("Job type '" + handler.type() + "' has two handlers: "
					+ existing.source() + " and " + handler.source()
					+ "; give one of them another type with @JobHandler(\"...\")", null);
		}
		if (this.engine != null) {
			this.engine.register(handler);
		}
		else {
			this.pending.add(handler);
		}
	}

	@Override
	public synchronized void afterSingletonsInstantiated() {
		if (this.declared.isEmpty()) {
			return;
		}
		this.engine = beanFactory().getBeanProvider(QueueEngine.class).getIfAvailable();
		if (this.engine == null) {
			return;
		}
		for (HandlerDefinition handler : this.pending) {
			this.engine.register(handler);
		}
		this.pending.clear();
	}

}
