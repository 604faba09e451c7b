package io.tickwork.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * Turns the observations of executions into the meters that Micrometer's
 * {@code DefaultMeterObservationHandler} makes of any observation: a timer named after the
 * observation, tagged with its low-cardinality key values and {@code error}, and a
 * long-task timer {@code <name>.active}, tagged with the key values it started with. It
 * keeps each job's meters instead of building an id and looking it up in the registry on
 * every execution; observations whose key values differ from the ones
 * {@link JobObservationListener} writes (a filter or convention added some) are measured
 * the default handler's way. Ordered before the default handler in a meter handler group,
 * so that it measures the observations it supports. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class JobExecutionMeterObservationHandler implements MeterObservationHandler<JobExecutionObservationContext> {

	private static final String JOB = "job";

	private static final String OUTCOME = "outcome";

	private static final String EXCEPTION = "exception";

	private final MeterRegistry registry;

	private final Clock clock;

	private final boolean longTaskTimer;

	private final ExecutionMeters meters = new ExecutionMeters();

	/**
	 * Creates a handler that makes both meters.
	 * @param registry the registry
	 */
	public JobExecutionMeterObservationHandler(MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Creates a new instance.
	 * @param registry the registry
	 * @param longTaskTimer whether to make the long-task timer of running executions (the
	 * default handler's {@code IgnoredMeters.LONG_TASK_TIMER} turns it off)
	 */
	public JobExecutionMeterObservationHandler(MeterRegistry registry, boolean longTaskTimer) {
		this.registry = registry;
		this.clock = registry.config().clock();
		this.longTaskTimer = longTaskTimer;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof JobExecutionObservationContext;
	}

	@Override
	public void onStart(JobExecutionObservationContext context) {
		KeyValues keyValues = context.getLowCardinalityKeyValues();
		String job = onlyJob(context, keyValues);
		if (job != null) {
			context.timers = this.meters.timers(job);
		}
		if (this.longTaskTimer) {
			String name = context.getName() + ".active";
			LongTaskTimer active = (job != null)
					? ExecutionMeters.active(context.timers,
							() -> this.registry.more().longTaskTimer(name, tags(keyValues)))
					: this.registry.more().longTaskTimer(name, tags(keyValues));
			context.active = active.start();
		}
		context.startedNanos = this.clock.monotonicTime();
	}

	@Override
	public void onStop(JobExecutionObservationContext context) {
		KeyValues keyValues = context.getLowCardinalityKeyValues();
		String error = (context.getError() != null) ? context.getError().getClass().getSimpleName() : Outcomes.NONE;
		timer(context, keyValues, error).record(this.clock.monotonicTime() - context.startedNanos,
				TimeUnit.NANOSECONDS);
		if (context.active != null) {
			context.active.stop();
		}
	}

	@Override
	public void onEvent(Observation.Event event, JobExecutionObservationContext context) {
		Counter.builder(context.getName() + "." + event.getName())
			.tags(tags(context.getLowCardinalityKeyValues()))
			.register(this.registry)
			.increment();
	}

	/** How many jobs' meters are kept, for tests. */
	int jobsKept() {
		return this.meters.size();
	}

	private Timer timer(JobExecutionObservationContext context, KeyValues keyValues, String error) {
		String name = context.getName();
		if (JobObservationListener.EXECUTION.equals(name)) {
			String job = null;
			String outcome = null;
			String exception = null;
			int count = 0;
			for (KeyValue keyValue : keyValues) {
				count++;
				switch (keyValue.getKey()) {
					case JOB -> job = keyValue.getValue();
					case OUTCOME -> outcome = keyValue.getValue();
					case EXCEPTION -> exception = keyValue.getValue();
					default -> count = Integer.MIN_VALUE;
				}
			}
			if (count == 3 && job != null && outcome != null && exception != null) {
				Supplier<Timer> register = () -> registerTimer(name, keyValues, error);
				// the job's meters as found when the observation started, unless a filter renamed the job
				return (context.timers != null && job.equals(context.timers.job))
						? ExecutionMeters.finished(context.timers, outcome, exception, error, register)
						: this.meters.finished(job, outcome, exception, error, register);
			}
		}
		return registerTimer(name, keyValues, error);
	}

	private Timer registerTimer(String name, KeyValues keyValues, String error) {
		List<Tag> tags = tags(keyValues);
		tags.add(Tag.of("error", error));
		return this.registry.timer(name, tags);
	}

	/** The job of an observation named as the listener names it whose only key value is the job, or null. */
	private static String onlyJob(JobExecutionObservationContext context, KeyValues keyValues) {
		if (!JobObservationListener.EXECUTION.equals(context.getName())) {
			return null;
		}
		KeyValue only = null;
		for (KeyValue keyValue : keyValues) {
			if (only != null || !JOB.equals(keyValue.getKey())) {
				return null;
			}
			only = keyValue;
		}
		return (only != null) ? only.getValue() : null;
	}

	private static List<Tag> tags(KeyValues keyValues) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : keyValues) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return tags;
	}

}
