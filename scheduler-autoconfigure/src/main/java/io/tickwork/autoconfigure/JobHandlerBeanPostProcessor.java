package io.tickwork.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.StringValueResolver;

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
public class JobHandlerBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton,
		EmbeddedValueResolverAware, EnvironmentAware, BeanFactoryAware {

	private final ObjectProvider<TickworkProperties> properties;

	private final ObjectProvider<TickworkQueueProperties> queueProperties;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final Map<String, HandlerDefinition> declared = new LinkedHashMap<>();

	private final List<HandlerDefinition> pending = new ArrayList<>();

	private StringValueResolver valueResolver;

	private Environment environment;

	private BeanFactory beanFactory;

	private HandlerDefinitionResolver resolver;

	private QueueEngine engine;

	/**
	 * Creates a new instance.
	 * @param properties the Tickwork properties, obtained when the first handler is found
	 * @param queueProperties the queue defaults, obtained when the first handler is found
	 */
	public JobHandlerBeanPostProcessor(ObjectProvider<TickworkProperties> properties,
			ObjectProvider<TickworkQueueProperties> queueProperties) {
		this.properties = properties;
		this.queueProperties = queueProperties;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.valueResolver = resolver;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof AopInfrastructureBean || bean instanceof QueueEngine) {
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		if (!AnnotationUtils.isCandidateClass(targetClass, JobHandler.class)) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		Map<Method, JobHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<JobHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, JobHandler.class));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		List<HandlerDefinition> handlers = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		methods.entrySet()
			.stream()
			.sorted(Comparator.comparing((entry) -> entry.getKey().getName()))
			.forEach((entry) -> {
				try {
					Method invocable = AopUtils.selectInvocableMethod(entry.getKey(), bean.getClass());
					handlers.add(resolver().resolve(bean, beanName, invocable, entry.getValue()));
				}
				catch (InvalidJobDefinitionException ex) {
					problems.add(ex.getMessage());
				}
			});
		if (problems.size() == 1) {
			throw new InvalidJobDefinitionException(problems.get(0), null);
		}
		if (!problems.isEmpty()) {
			throw new InvalidJobDefinitionException(problems.size() + " invalid @JobHandler methods on bean '"
					+ beanName + "':\n- " + String.join("\n- ", problems), null);
		}
		handlers.forEach(this::register);
		return bean;
	}

	private HandlerDefinitionResolver resolver() {
		if (this.resolver == null) {
			this.resolver = new HandlerDefinitionResolver(this.properties.getObject(), this.queueProperties.getObject(),
					this.environment, this.valueResolver);
		}
		return this.resolver;
	}

	private synchronized void register(HandlerDefinition handler) {
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
		if (this.pending.isEmpty() && this.declared.isEmpty()) {
			return;
		}
		this.engine = this.beanFactory.getBeanProvider(QueueEngine.class).getIfAvailable();
		if (this.engine == null) {
			return;
		}
		for (HandlerDefinition handler : this.pending) {
			this.engine.register(handler);
		}
		this.pending.clear();
	}

}
