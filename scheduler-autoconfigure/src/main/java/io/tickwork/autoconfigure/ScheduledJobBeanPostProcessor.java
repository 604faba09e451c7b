package io.tickwork.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

import io.tickwork.JobDefinition;
import io.tickwork.ScheduledJob;
import io.tickwork.engine.TickworkEngine;

/**
 * Finds {@link ScheduledJob} methods on beans, resolves and validates each into a
 * {@link JobDefinition} as the bean is created (so a bad declaration fails that bean's
 * creation), and registers them with the {@link TickworkEngine} once every singleton
 * exists. Beans created later, such as lazy ones, are registered as they appear.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class ScheduledJobBeanPostProcessor implements BeanPostProcessor, SmartInitializingSingleton,
		EmbeddedValueResolverAware, EnvironmentAware, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(ScheduledJobBeanPostProcessor.class);

	private final ObjectProvider<TickworkProperties> properties;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private final Map<String, JobDefinition> declared = new LinkedHashMap<>();

	private final List<JobDefinition> pending = new ArrayList<>();

	private StringValueResolver valueResolver;

	private Environment environment;

	private BeanFactory beanFactory;

	private JobDefinitionResolver resolver;

	private TickworkEngine engine;

	/**
	 * Creates a new instance.
	 * @param properties the Tickwork properties, obtained when the first job is found
	 */
	public ScheduledJobBeanPostProcessor(ObjectProvider<TickworkProperties> properties) {
		this.properties = properties;
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
		if (bean instanceof AopInfrastructureBean || bean instanceof TickworkEngine) {
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		if (!AnnotationUtils.isCandidateClass(targetClass, ScheduledJob.class)) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		Map<Method, ScheduledJob> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<ScheduledJob>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ScheduledJob.class));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		List<JobDefinition> definitions = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		methods.entrySet()
			.stream()
			.sorted(Comparator.comparing((entry) -> entry.getKey().getName()))
			.forEach((entry) -> {
				try {
					Method invocable = AopUtils.selectInvocableMethod(entry.getKey(), bean.getClass());
					definitions.add(resolver().resolve(bean, beanName, invocable, entry.getValue()));
				}
				catch (InvalidJobDefinitionException ex) {
					problems.add(ex.getMessage());
				}
			});
		if (problems.size() == 1) {
			throw new InvalidJobDefinitionException(problems.get(0), null);
		}
		if (!problems.isEmpty()) {
			throw new InvalidJobDefinitionException(problems.size() + " invalid @ScheduledJob methods on bean '"
					+ beanName + "':\n- " + String.join("\n- ", problems), null);
		}
		definitions.forEach(this::register);
		return bean;
	}

	private JobDefinitionResolver resolver() {
		if (this.resolver == null) {
			this.resolver = new JobDefinitionResolver(this.properties.getObject(), this.environment, this.valueResolver);
		}
		return this.resolver;
	}

	private synchronized void register(JobDefinition definition) {
		JobDefinition existing = this.declared.putIfAbsent(definition.name(), definition);
		if (existing != null) {
			throw new InvalidJobDefinitionException("Job name '" + definition.name() + "' is used twice: by "
					+ existing.source() + " and by " + definition.source()
					+ "; give one of them another name with @ScheduledJob(name = \"...\")", null);
		}
		if (this.engine != null) {
			this.engine.register(definition);
		}
		else {
			this.pending.add(definition);
		}
	}

	@Override
	public synchronized void afterSingletonsInstantiated() {
		this.engine = this.beanFactory.getBean(TickworkEngine.class);
		for (JobDefinition definition : this.pending) {
			this.engine.register(definition);
		}
		this.pending.clear();
		Set<String> unknown = resolver().unknownJobProperties(this.declared.keySet());
		if (!unknown.isEmpty()) {
			logger.warn("Properties " + unknown + " configure no @ScheduledJob (jobs: " + this.declared.keySet()
					+ "); check the job names. Jobs defined later in code through JobScheduler.schedule still get them.");
		}
	}

}
