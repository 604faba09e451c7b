package io.tickwork.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;

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
public class ScheduledJobBeanPostProcessor extends AnnotatedMethodsPostProcessor<ScheduledJob, JobDefinition> {

	private static final Log logger = LogFactory.getLog(ScheduledJobBeanPostProcessor.class);

	private final ObjectProvider<TickworkProperties> properties;

	private final Map<String, JobDefinition> declared = new LinkedHashMap<>();

	private final List<JobDefinition> pending = new ArrayList<>();

	private JobDefinitionResolver resolver;

	private TickworkEngine engine;

	/**
	 * Creates a new instance.
	 * @param properties the Tickwork properties, obtained when the first job is found
	 */
	public ScheduledJobBeanPostProcessor(ObjectProvider<TickworkProperties> properties) {
		super(ScheduledJob.class);
		this.properties = properties;
	}

	@Override
	boolean isInfrastructure(Object bean) {
		return bean instanceof TickworkEngine;
	}

	@Override
	JobDefinition resolve(Object bean, String beanName, Method method, ScheduledJob annotation) {
		return resolver().resolve(bean, beanName, method, annotation);
	}

	private JobDefinitionResolver resolver() {
		if (this.resolver == null) {
			this.resolver = new JobDefinitionResolver(this.properties.getObject(), environment(), valueResolver());
		}
		return this.resolver;
	}

	@Override
	synchronized void register(JobDefinition definition) {
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
		this.engine = beanFactory().getBean(TickworkEngine.class);
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
