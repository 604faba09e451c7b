package io.tickwork.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;

/**
 * The execution meters of each job, kept once registered, so that an execution does not
 * build a meter id and look it up in the registry (with thousands of jobs the look-ups
 * were a third of an instance's CPU per execution). Registering again would find the same
 * meters; a race registers twice and keeps the same meter. Thread-safe.
 */
final class ExecutionMeters {

	private final Map<String, JobTimers> jobs = new ConcurrentHashMap<>();

	/** The job's long-task timer of running executions, registered by register the first time. */
	LongTaskTimer active(String job, Supplier<LongTaskTimer> register) {
		return active(timers(job), register);
	}

	/** The long-task timer of these timers, registered by register the first time. */
	static LongTaskTimer active(JobTimers timers, Supplier<LongTaskTimer> register) {
		LongTaskTimer active = timers.active;
		if (active == null) {
			active = register.get();
			timers.active = active;
		}
		return active;
	}

	/**
	 * The job's timer of finished executions with these tag values, registered by register
	 * the first time; error is {@code null} for a timer without that tag.
	 */
	Timer finished(String job, String outcome, String exception, String error, Supplier<Timer> register) {
		return finished(timers(job), outcome, exception, error, register);
	}

	/** The timer of these timers with these tag values, as {@link #finished(String, String, String, String, Supplier)}. */
	static Timer finished(JobTimers timers, String outcome, String exception, String error,
			Supplier<Timer> register) {
		boolean plain = "success".equals(outcome) && Outcomes.NONE.equals(exception)
				&& (error == null || Outcomes.NONE.equals(error));
		if (plain) {
			Timer succeeded = timers.succeeded;
			if (succeeded == null) {
				succeeded = register.get();
				timers.succeeded = succeeded;
			}
			return succeeded;
		}
		return timers.others.computeIfAbsent(outcome + '|' + exception + '|' + error, (key) -> register.get());
	}

	/** How many jobs have meters kept. */
	int size() {
		return this.jobs.size();
	}

	/** The job's meters, kept from its first execution on. */
	JobTimers timers(String job) {
		JobTimers timers = this.jobs.get(job);
		return (timers != null) ? timers : this.jobs.computeIfAbsent(job, JobTimers::new);
	}

	/** One job's meters. */
	static final class JobTimers {

		/** The job, as the observation's key value names it. */
		final String job;

		private volatile LongTaskTimer active;

		/** The timer of executions that succeeded without an error, by far the most used. */
		private volatile Timer succeeded;

		private final Map<String, Timer> others = new ConcurrentHashMap<>();

		JobTimers(String job) {
			this.job = job;
		}

	}

}
