package io.tickwork.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

import io.tickwork.Backoff;
import io.tickwork.JobContext;
import io.tickwork.JobDefinition;
import io.tickwork.Misfire;
import io.tickwork.Overlap;
import io.tickwork.Retry;
import io.tickwork.RetryPolicy;
import io.tickwork.ScheduledJob;
import io.tickwork.schedule.CronSchedule;
import io.tickwork.schedule.Durations;
import io.tickwork.schedule.Schedule;

import static io.tickwork.autoconfigure.DeclarationErrors.atLeast;
import static io.tickwork.autoconfigure.DeclarationErrors.atLeastOne;
import static io.tickwork.autoconfigure.DeclarationErrors.between;
import static io.tickwork.autoconfigure.DeclarationErrors.duration;
import static io.tickwork.autoconfigure.DeclarationErrors.nonNegative;
import static io.tickwork.autoconfigure.DeclarationErrors.positive;
import static io.tickwork.autoconfigure.DeclarationErrors.single;

/**
 * Turns a {@link ScheduledJob} method, the {@code tickwork.defaults.*} properties and the
 * {@code tickwork.jobs.<name>.*} overrides into a validated {@link JobDefinition}; every
 * error names the bean, the method, the attribute or property, and the value.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class JobDefinitionResolver {

	private static final ConfigurationPropertyName JOBS = ConfigurationPropertyName.of("tickwork.jobs");

	private final TickworkProperties properties;

	private final Environment environment;

	private final StringValueResolver valueResolver;

	/**
	 * Creates a new instance.
	 * @param properties the Tickwork properties
	 * @param environment the environment that holds per-job overrides
	 * @param valueResolver resolves {@code ${...}} placeholders in annotation attributes
	 */
	public JobDefinitionResolver(TickworkProperties properties, Environment environment,
			StringValueResolver valueResolver) {
		this.properties = properties;
		this.environment = environment;
		this.valueResolver = valueResolver;
	}

	/**
	 * Resolves the job declared by an annotated bean method.
	 * @param bean the bean
	 * @param beanName the bean name
	 * @param method the annotated method, as invocable on the bean
	 * @param annotation the annotation
	 * @return the job definition, with per-job overrides applied
	 * @throws InvalidJobDefinitionException if anything is invalid
	 */
	public JobDefinition resolve(Object bean, String beanName, Method method, ScheduledJob annotation) {
		String source = "bean '" + beanName + "' method " + method.getDeclaringClass().getSimpleName() + "."
				+ method.getName() + "()";
		DeclarationErrors errors = new DeclarationErrors("Invalid @ScheduledJob on " + source);
		boolean takesContext = checkSignature(method, errors);
		String name = errors.attribute("name", annotation.name(), (value) -> JobDefinition
			.checkName(StringUtils.hasText(resolve(value)) ? resolve(value) : kebabCase(method.getName())));
		String cron = errors.attribute("cron", annotation.cron(), this::resolve);
		String interval = errors.attribute("interval", annotation.interval(), this::resolve);
		String zone = errors.attribute("zone", annotation.zone(), this::resolve);
		String initialDelay = errors.attribute("initialDelay", annotation.initialDelay(), this::resolve);
		Schedule schedule = null;
		if (StringUtils.hasText(cron) && StringUtils.hasText(interval)) {
			errors.add("attributes 'cron' ('" + cron + "') and 'interval' ('" + interval + "') are both set; set exactly one");
		}
		else if (StringUtils.hasText(cron)) {
			if (StringUtils.hasText(initialDelay)) {
				errors.add("attribute 'initialDelay' ('" + initialDelay + "') only applies to 'interval' jobs");
			}
			if (annotation.fixedDelay()) {
				errors.add("attribute 'fixedDelay' only applies to 'interval' jobs");
			}
			ZoneId zoneId = errors.attribute("zone", zone, this::zone);
			if (zoneId != null) {
				schedule = errors.attribute("cron", cron, (value) -> Schedule.cron(value, zoneId));
			}
		}
		else if (StringUtils.hasText(interval)) {
			if (StringUtils.hasText(zone)) {
				errors.add("attribute 'zone' ('" + zone + "') only applies to 'cron' jobs");
			}
			schedule = errors.attribute("interval", interval, (value) -> annotation.fixedDelay()
					? Schedule.fixedDelay(duration(value)) : Schedule.every(duration(value)));
		}
		else if (cron != null && interval != null) {
			errors.add("neither 'cron' nor 'interval' is set; set exactly one");
		}
		Duration delay = errors.attribute("initialDelay", initialDelay,
				(value) -> StringUtils.hasText(value) ? nonNegative(duration(value)) : Duration.ZERO);
		Duration timeout = errors.attribute("timeout", annotation.timeout(), (value) -> StringUtils.hasText(value)
				? positive(duration(resolve(value))) : this.properties.getDefaults().getTimeout());
		RetryPolicy retry = resolveRetry(annotation.retry(), errors);
		Overlap overlap = errors.attribute("overlap", Arrays.toString(annotation.overlap()),
				(value) -> single(annotation.overlap(), this.properties.getDefaults().getOverlap()));
		Misfire misfire = errors.attribute("misfire", Arrays.toString(annotation.misfire()),
				(value) -> single(annotation.misfire(), this.properties.getDefaults().getMisfire()));
		List<String> tags = new ArrayList<>();
		for (String tag : annotation.tags()) {
			String resolved = errors.attribute("tags", tag, this::resolve);
			if (StringUtils.hasText(resolved)) {
				tags.add(resolved);
			}
		}
		errors.throwIfAny();
		JobDefinition definition = JobDefinition
			.builder(name, schedule, new MethodJobTask(bean, method, takesContext))
			.timeout(timeout)
			.retry(retry)
			.overlap(overlap)
			.misfire(misfire)
			.tags(tags)
			.initialDelay(delay)
			.enabled(annotation.enabled())
			.runOnStart(annotation.runOnStart())
			.source(source)
			.build();
		return applyOverrides(definition);
	}

	private boolean checkSignature(Method method, DeclarationErrors errors) {
		Class<?>[] parameters = method.getParameterTypes();
		boolean takesContext = parameters.length == 1 && parameters[0] == JobContext.class;
		if (parameters.length > 0 && !takesContext) {
			errors.add("the method must take no parameter or a single JobContext, but takes "
					+ Arrays.stream(parameters).map(Class::getSimpleName).toList());
		}
		if (method.getReturnType() != void.class) {
			errors.add("the method must return void, but returns " + method.getReturnType().getSimpleName());
		}
		if (Modifier.isStatic(method.getModifiers())) {
			errors.add("the method must not be static");
		}
		return takesContext;
	}

	RetryPolicy resolveRetry(Retry retry, DeclarationErrors errors) {
		TickworkProperties.Retry defaults = this.properties.getDefaults().getRetry();
		int problems = errors.count();
		Integer maxAttempts = errors.attribute("retry.maxAttempts", String.valueOf(retry.maxAttempts()),
				(value) -> atLeastOne((retry.maxAttempts() != -1) ? retry.maxAttempts() : defaults.getMaxAttempts()));
		Backoff backoff = errors.attribute("retry.backoff", Arrays.toString(retry.backoff()),
				(value) -> single(retry.backoff(), defaults.getBackoff()));
		Duration delay = errors.attribute("retry.delay", retry.delay(), (value) -> StringUtils.hasText(value)
				? nonNegative(duration(resolve(value))) : defaults.getDelay());
		Duration maxDelay = errors.attribute("retry.maxDelay", retry.maxDelay(), (value) -> StringUtils.hasText(value)
				? nonNegative(duration(resolve(value))) : defaults.getMaxDelay());
		Double multiplier = errors.attribute("retry.multiplier", String.valueOf(retry.multiplier()),
				(value) -> atLeast((retry.multiplier() != -1) ? retry.multiplier() : defaults.getMultiplier(), 1,
						"must be at least 1"));
		Double jitter = errors.attribute("retry.jitter", String.valueOf(retry.jitter()),
				(value) -> between((retry.jitter() != -1) ? retry.jitter() : defaults.getJitter()));
		if (errors.count() > problems) {
			return null;
		}
		if (StringUtils.hasText(retry.maxDelay()) && maxDelay.compareTo(delay) < 0) {
			errors.add("attribute 'retry.maxDelay' with value '" + retry.maxDelay() + "': must not be below the delay ("
					+ Durations.format(delay) + ")");
			return null;
		}
		return new RetryPolicy(maxAttempts, backoff, delay, multiplier, (maxDelay.compareTo(delay) < 0) ? delay : maxDelay,
				jitter);
	}

	/**
	 * Applies {@code tickwork.jobs.<name>.*} to a definition, such as one made in code.
	 * @param definition the definition
	 * @return the definition with its overrides
	 * @throws InvalidJobDefinitionException if an override is invalid
	 */
	public JobDefinition applyOverrides(JobDefinition definition) {
		if (!mayHaveProperties(prefixesOf(definition.name()))) {
			// most jobs have none: the binder would look for each of their properties in each source
			return definition;
		}
		TickworkProperties.Job dotted;
		TickworkProperties.Job bracketed;
		try {
			dotted = bindOverrides(definition.name(), false);
			bracketed = (dotted != null) ? null : bindOverrides(definition.name(), true);
		}
		catch (BindException ex) {
			throw new InvalidJobDefinitionException("Invalid property '" + ex.getProperty().getName() + "' with value '"
					+ ex.getProperty().getValue() + "' for job '" + definition.name() + "': "
					+ ((ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage()), ex);
		}
		TickworkProperties.Job job = (dotted != null) ? dotted : bracketed;
		String property = (dotted != null) ? "tickwork.jobs." + definition.name() + "."
				: "tickwork.jobs[" + definition.name() + "].";
		if (job == null) {
			return definition;
		}
		DeclarationErrors errors = new DeclarationErrors("Invalid per-job configuration of job '" + definition.name()
				+ "' (declared by " + definition.source() + ")");
		JobDefinition.Builder builder = definition.toBuilder();
		Schedule declared = definition.schedule();
		Schedule schedule = declared;
		if (job.getCron() != null && job.getInterval() != null) {
			errors.add("properties '" + property + "cron' and '" + property + "interval' are both set; set exactly one");
		}
		else if (job.getCron() != null) {
			ZoneId zoneId = errors.property(property + "zone", job.getZone(), (value) -> (value != null) ? zone(value)
					: (declared instanceof CronSchedule cron) ? cron.zone() : zone(null));
			schedule = errors.property(property + "cron", job.getCron(), (value) -> Schedule.cron(value, zoneId));
		}
		else if (job.getInterval() != null) {
			boolean fixedDelay = (job.getFixedDelay() != null) ? job.getFixedDelay() : declared.fromCompletion();
			schedule = errors.property(property + "interval", job.getInterval().toString(),
					(value) -> fixedDelay ? Schedule.fixedDelay(job.getInterval()) : Schedule.every(job.getInterval()));
		}
		else if (job.getZone() != null) {
			if (declared instanceof CronSchedule cron) {
				schedule = errors.property(property + "zone", job.getZone(),
						(value) -> Schedule.cron(cron.expression().toString(), zone(value)));
			}
			else {
				errors.add("property '" + property + "zone' ('" + job.getZone() + "') only applies to cron jobs");
			}
		}
		builder.schedule(schedule);
		if (job.getInitialDelay() != null) {
			builder.initialDelay(errors.property(property + "initial-delay", job.getInitialDelay().toString(),
					(value) -> nonNegative(job.getInitialDelay())));
		}
		if (job.getTimeout() != null) {
			builder.timeout(errors.property(property + "timeout", job.getTimeout().toString(),
					(value) -> positive(job.getTimeout())));
		}
		if (job.getEnabled() != null) {
			builder.enabled(job.getEnabled());
		}
		if (job.getRunOnStart() != null) {
			builder.runOnStart(job.getRunOnStart());
		}
		if (job.getOverlap() != null) {
			builder.overlap(job.getOverlap());
		}
		if (job.getMisfire() != null) {
			builder.misfire(job.getMisfire());
		}
		builder.retry(overrideRetry(definition.retry(), job.getRetry(), property + "retry", errors));
		errors.throwIfAny();
		return builder.build();
	}

	RetryPolicy overrideRetry(RetryPolicy retry, TickworkProperties.JobRetry override, String property,
			DeclarationErrors errors) {
		RetryPolicy result = retry;
		if (override.getMaxAttempts() != null || override.getBackoff() != null || override.getDelay() != null
				|| override.getMultiplier() != null || override.getMaxDelay() != null || override.getJitter() != null) {
			result = errors.property(property, "", (value) -> new RetryPolicy(
					(override.getMaxAttempts() != null) ? override.getMaxAttempts() : retry.maxAttempts(),
					(override.getBackoff() != null) ? override.getBackoff() : retry.backoff(),
					(override.getDelay() != null) ? override.getDelay() : retry.delay(),
					(override.getMultiplier() != null) ? override.getMultiplier() : retry.multiplier(),
					(override.getMaxDelay() != null) ? override.getMaxDelay() : retry.maxDelay(),
					(override.getJitter() != null) ? override.getJitter() : retry.jitter()));
		}
		return result;
	}

	/**
	 * Finds {@code tickwork.jobs.*} properties that name none of the given jobs.
	 * @param jobNames the names of the registered jobs
	 * @return the unknown property names, sorted
	 */
	public Set<String> unknownJobProperties(Set<String> jobNames) {
		List<ConfigurationPropertyName> known = jobNames.stream().flatMap((name) -> prefixesOf(name).stream()).toList();
		Set<String> unknown = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(JOBS::isAncestorOf).stream().forEach((name) -> {
					if (known.stream().noneMatch((prefix) -> prefix.isAncestorOf(name))) {
						unknown.add(name.toString());
					}
				});
			}
		}
		return unknown;
	}

	/**
	 * Binds a job's overrides written in one form: {@code tickwork.jobs[<name>].*} (as
	 * Spring Boot documents for map keys with dots) or {@code tickwork.jobs.<name>.*};
	 * a job configured in both forms is refused, as one of them would be lost.
	 */
	private TickworkProperties.Job bindOverrides(String name, boolean bracketed) {
		Binder binder = Binder.get(this.environment);
		Bindable<TickworkProperties.Job> type = Bindable.of(TickworkProperties.Job.class);
		List<ConfigurationPropertyName> prefixes = prefixesOf(name);
		if (prefixes.size() == 1) {
			return bracketed ? null : binder.bind(prefixes.get(0), type).orElse(null);
		}
		TickworkProperties.Job inBrackets = binder.bind(prefixes.get(0), type).orElse(null);
		TickworkProperties.Job dotted = binder.bind(prefixes.get(1), type).orElse(null);
		if (inBrackets != null && dotted != null) {
			throw new InvalidJobDefinitionException("Job '" + name + "' is configured both as 'tickwork.jobs[" + name
					+ "].*' and as 'tickwork.jobs." + name + ".*'; keep one of them, preferably 'tickwork.jobs[" + name
					+ "].*'", null);
		}
		return bracketed ? inBrackets : dotted;
	}

	/** Whether a property source has a property under one of the prefixes, or cannot tell. */
	private boolean mayHaveProperties(List<ConfigurationPropertyName> prefixes) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (prefixes.stream()
				.anyMatch((prefix) -> source.containsDescendantOf(prefix) != ConfigurationPropertyState.ABSENT)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The prefixes a job's properties may have: the bracket form, then the dotted one if
	 * Spring Boot tells them apart (for a name with dots or capitals).
	 */
	private static List<ConfigurationPropertyName> prefixesOf(String jobName) {
		ConfigurationPropertyName bracketed = ConfigurationPropertyName.of("tickwork.jobs[" + jobName + "]");
		ConfigurationPropertyName dotted = JOBS.append(ConfigurationPropertyName.adapt(jobName, '.'));
		return bracketed.equals(dotted) ? List.of(bracketed) : List.of(bracketed, dotted);
	}

	String resolve(String value) {
		if (!StringUtils.hasText(value)) {
			return value;
		}
		String resolved = (this.valueResolver != null) ? this.valueResolver.resolveStringValue(value) : value;
		if (resolved != null && resolved.contains("${")) {
			resolved = this.environment.resolveRequiredPlaceholders(resolved);
		}
		return (resolved != null) ? resolved.trim() : null;
	}

	private ZoneId zone(String value) {
		String zone = StringUtils.hasText(value) ? value : this.properties.getDefaults().getZone();
		return StringUtils.hasText(zone) ? ZoneId.of(zone) : ZoneId.systemDefault();
	}

	/**
	 * Converts a method name to kebab-case: {@code weeklyReport} becomes
	 * {@code weekly-report}, {@code syncCRMData} becomes {@code sync-crm-data}.
	 * @param name the method name
	 * @return the kebab-case name
	 */
	static String kebabCase(String name) {
		StringBuilder result = new StringBuilder(name.length() + 8);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isUpperCase(c)) {
				boolean afterLower = i > 0 && !Character.isUpperCase(name.charAt(i - 1)) && name.charAt(i - 1) != '_';
				boolean beforeLower = i > 0 && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))
						&& Character.isUpperCase(name.charAt(i - 1));
				if (afterLower || beforeLower) {
					result.append('-');
				}
				result.append(Character.toLowerCase(c));
			}
			else {
				result.append(c);
			}
		}
		return result.toString();
	}

}
