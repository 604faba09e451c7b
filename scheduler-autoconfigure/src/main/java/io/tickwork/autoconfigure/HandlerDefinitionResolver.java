package io.tickwork.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import io.tickwork.JobContext;
import io.tickwork.JobHandler;
import io.tickwork.JobRequest;
import io.tickwork.RetryPolicy;
import io.tickwork.queue.HandlerDefinition;
import io.tickwork.queue.QueueSettings;

import static io.tickwork.autoconfigure.DeclarationErrors.duration;
import static io.tickwork.autoconfigure.DeclarationErrors.positive;

/**
 * Turns a {@link JobHandler} method, the {@code tickwork.queue.*} defaults and the
 * {@code tickwork.queues.<type>.*} settings into a validated {@link HandlerDefinition},
 * and gives each type its {@link QueueSettings}; every error names the bean, the method,
 * the attribute or property, and the value.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class HandlerDefinitionResolver {

	private static final ConfigurationPropertyName QUEUES = ConfigurationPropertyName.of("tickwork.queues");

	private final TickworkQueueProperties defaults;

	private final JobDefinitionResolver jobs;

	private final Environment environment;

	private final Map<String, QueueSettings> settings = new ConcurrentHashMap<>();

	/**
	 * Creates a new instance.
	 * @param properties the Tickwork properties (retry defaults)
	 * @param defaults the queue defaults
	 * @param environment the environment that holds per-type settings
	 * @param valueResolver resolves {@code ${...}} placeholders in annotation attributes
	 */
	public HandlerDefinitionResolver(TickworkProperties properties, TickworkQueueProperties defaults,
			Environment environment, StringValueResolver valueResolver) {
		this.defaults = defaults;
		this.environment = environment;
		this.jobs = new JobDefinitionResolver(properties, environment, valueResolver);
	}

	/**
	 * Resolves the handler declared by an annotated bean method.
	 * @param bean the bean
	 * @param beanName the bean name
	 * @param method the annotated method, as invocable on the bean
	 * @param annotation the annotation
	 * @return the handler, with its type's settings applied
	 * @throws InvalidJobDefinitionException if anything is invalid
	 */
	public HandlerDefinition resolve(Object bean, String beanName, Method method, JobHandler annotation) {
		String source = "bean '" + beanName + "' method " + method.getDeclaringClass().getSimpleName() + "."
				+ method.getName() + "()";
		DeclarationErrors errors = new DeclarationErrors("Invalid @JobHandler on " + source);
		Type payloadType = checkSignature(method, errors);
		String type = errors.attribute("value", annotation.value(), (value) -> JobRequest.checkType(
				StringUtils.hasText(this.jobs.resolve(value)) ? this.jobs.resolve(value)
						: JobDefinitionResolver.kebabCase(method.getName())));
		Duration timeout = errors.attribute("timeout", annotation.timeout(), (value) -> StringUtils.hasText(value)
				? positive(duration(this.jobs.resolve(value))) : this.defaults.getTimeout());
		RetryPolicy retry = this.jobs.resolveRetry(annotation.retry(), errors);
		Integer concurrency = errors.attribute("concurrency", annotation.concurrency(),
				(value) -> StringUtils.hasText(value) ? atLeastOne(Integer.parseInt(this.jobs.resolve(value)))
						: this.defaults.getConcurrency());
		errors.throwIfAny();
		boolean enabled = annotation.enabled();
		TickworkQueueProperties.QueueType own = bind(type);
		String property = "tickwork.queues." + type + ".";
		DeclarationErrors overrides = new DeclarationErrors("Invalid configuration of job type '" + type
				+ "' (handled by " + source + ")");
		if (own != null) {
			if (own.getTimeout() != null) {
				timeout = overrides.property(property + "timeout", own.getTimeout().toString(),
						(value) -> positive(own.getTimeout()));
			}
			if (own.getConcurrency() != null) {
				concurrency = overrides.property(property + "concurrency", own.getConcurrency().toString(),
						(value) -> atLeastOne(own.getConcurrency()));
			}
			if (own.getEnabled() != null) {
				enabled = own.getEnabled();
			}
			retry = this.jobs.overrideRetry(retry, own.getRetry(), property + "retry", overrides);
		}
		overrides.throwIfAny();
		return new HandlerDefinition(type, payloadType, invoker(bean, method, payloadType), timeout, retry,
				concurrency, enabled, source);
	}

	/**
	 * The settings of a type, from {@code tickwork.queues.<type>.*} and the defaults.
	 * @param type the job type
	 * @return its settings
	 * @throws InvalidJobDefinitionException if a property is invalid
	 */
	public QueueSettings settings(String type) {
		return this.settings.computeIfAbsent(type, this::resolveSettings);
	}

	private QueueSettings resolveSettings(String type) {
		TickworkQueueProperties.QueueType own = bind(type);
		String property = "tickwork.queues." + type + ".";
		long capacity = (own != null && own.getCapacity() != null) ? own.getCapacity() : this.defaults.getCapacity();
		Duration retention = (own != null && own.getRetention() != null) ? own.getRetention()
				: this.defaults.getRetention();
		Integer max = (own != null && own.getDeadLetter().getMax() != null) ? own.getDeadLetter().getMax()
				: this.defaults.getDeadLetter().getMax();
		Duration ttl = (own != null && own.getDeadLetter().getTtl() != null) ? own.getDeadLetter().getTtl()
				: this.defaults.getDeadLetter().getTtl();
		DeclarationErrors errors = new DeclarationErrors("Invalid configuration of job type '" + type + "'");
		errors.property(((own != null && own.getCapacity() != null) ? property : "tickwork.queue.") + "capacity",
				String.valueOf(capacity), (value) -> (capacity >= 1) ? capacity : fail("must be at least 1"));
		errors.property(((own != null && own.getRetention() != null) ? property : "tickwork.queue.") + "retention",
				String.valueOf(retention), (value) -> (!retention.isNegative()) ? retention : fail("must not be negative"));
		if (max != null) {
			errors.property(property + "dead-letter.max", String.valueOf(max),
					(value) -> (max >= 0) ? max : fail("must not be negative"));
		}
		if (ttl != null) {
			errors.property(property + "dead-letter.ttl", String.valueOf(ttl), (value) -> positive(ttl));
		}
		errors.throwIfAny();
		return new QueueSettings(capacity, retention, (max != null) ? max : QueueSettings.DEFAULTS.deadLetterMax(),
				(ttl != null) ? ttl : QueueSettings.DEFAULTS.deadLetterTtl());
	}

	private TickworkQueueProperties.QueueType bind(String type) {
		Binder binder = Binder.get(this.environment);
		Bindable<TickworkQueueProperties.QueueType> bindable = Bindable.of(TickworkQueueProperties.QueueType.class);
		try {
			// tickwork.queues[<type>].* as Spring Boot documents map keys, or tickwork.queues.<type>.*
			TickworkQueueProperties.QueueType bracketed = binder
				.bind(ConfigurationPropertyName.of("tickwork.queues[" + type + "]"), bindable)
				.orElse(null);
			return (bracketed != null) ? bracketed : binder.bind(QUEUES.append(ConfigurationPropertyName.adapt(type, '.')),
					bindable).orElse(null);
		}
		catch (BindException ex) {
			throw new InvalidJobDefinitionException("Invalid property '" + ex.getProperty().getName() + "' with value '"
					+ ex.getProperty().getValue() + "' for job type '" + type + "': "
					+ ((ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage()), ex);
		}
	}

	private static <T> T fail(String problem) {
		throw new IllegalArgumentException(problem);
	}

	private static int atLeastOne(int value) {
		if (value < 1) {
			throw new IllegalArgumentException("must be at least 1");
		}
		return value;
	}

	/** The payload type, or {@code null} if the method does not take one. */
	private static Type checkSignature(Method method, DeclarationErrors errors) {
		Class<?>[] parameters = method.getParameterTypes();
		Type payload = null;
		boolean valid = switch (parameters.length) {
			case 0 -> true;
			case 1 -> true;
			case 2 -> parameters[0] != JobContext.class && parameters[1] == JobContext.class;
			default -> false;
		};
		if (parameters.length >= 1 && parameters[0] != JobContext.class) {
			payload = method.getGenericParameterTypes()[0];
		}
		if (!valid) {
			errors.add("the method must take the payload, a JobContext, or both in that order, but takes "
					+ Arrays.stream(parameters).map(Class::getSimpleName).toList());
		}
		if (method.getReturnType() != void.class) {
			errors.add("the method must return void, but returns " + method.getReturnType().getSimpleName());
		}
		if (Modifier.isStatic(method.getModifiers())) {
			errors.add("the method must not be static");
		}
		return payload;
	}

	private static HandlerDefinition.Invoker invoker(Object bean, Method method, Type payloadType) {
		int count = method.getParameterCount();
		boolean takesContext = count > 0 && method.getParameterTypes()[count - 1] == JobContext.class;
		method.setAccessible(true);
		return (payload, context) -> {
			Object[] arguments = new Object[count];
			if (payloadType != null) {
				arguments[0] = payload;
			}
			if (takesContext) {
				arguments[count - 1] = context;
			}
			try {
				method.invoke(bean, arguments);
			}
			catch (InvocationTargetException ex) {
				Throwable cause = ex.getCause();
				if (cause instanceof Exception exception) {
					throw exception;
				}
				if (cause instanceof Error error) {
					throw error;
				}
				throw ex;
			}
		};
	}

}
