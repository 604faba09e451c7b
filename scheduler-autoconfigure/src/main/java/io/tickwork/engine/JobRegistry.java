package io.tickwork.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import io.tickwork.JobDefinition;
import io.tickwork.NoSuchJobException;

/**
 * The jobs registered on this instance, by name. Thread-safe.
 */
final class JobRegistry {

	/** How many names of finished one-time jobs are remembered, so that their history stays readable. */
	static final int FINISHED_NAMES = 10_000;

	private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();

	/** Jobs that fired their last fire and left, oldest first. Guarded by itself. */
	private final Set<String> finished = new LinkedHashSet<>();

	/**
	 * Adds a job.
	 * @param job the job
	 * @param replace whether it replaces a job of the same name, or a name in use is an error
	 * @return the job it replaced, or {@code null}
	 * @throws IllegalStateException if the name is in use and {@code replace} is false, or
	 * by a declared job
	 */
	Job add(Job job, boolean replace) {
		synchronized (this.finished) {
			this.finished.remove(job.name);
		}
		if (replace) {
			Job[] replaced = new Job[1];
			this.jobs.compute(job.name, (name, existing) -> {
				if (existing != null && existing.declared) {
					throw declared(existing, job.definition);
				}
				replaced[0] = existing;
				return job;
			});
			return replaced[0];
		}
		Job old = this.jobs.putIfAbsent(job.name, job);
		if (old != null) {
			throw new IllegalStateException("Job name '" + job.name + "' is used twice: by "
					+ old.definition.source() + " and by " + job.definition.source()
					+ "; give one of them another name with @ScheduledJob(name = \"...\")");
		}
		return null;
	}

	/**
	 * Checks jobs defined in code before any replaces a job: names given once, none of a
	 * declared job's, each definition customized (per-job properties applied) without error.
	 * @param definitions the definitions
	 * @param customizer applies per-job properties, and may throw for a bad one
	 * @return the customized definitions, in the order given
	 * @throws IllegalArgumentException if a name appears twice
	 * @throws IllegalStateException if a declared job has one of the names
	 */
	List<JobDefinition> checkedReplacements(Collection<JobDefinition> definitions,
			UnaryOperator<JobDefinition> customizer) {
		Set<String> names = new HashSet<>();
		List<JobDefinition> customized = new ArrayList<>(definitions.size());
		for (JobDefinition definition : definitions) {
			if (!names.add(definition.name())) {
				throw new IllegalArgumentException("Job name '" + definition.name() + "' appears twice among the "
						+ definitions.size() + " jobs given to scheduleAll; nothing was scheduled");
			}
			Job existing = this.jobs.get(definition.name());
			if (existing != null && existing.declared) {
				throw declared(existing, definition);
			}
			customized.add(customizer.apply(definition));
		}
		return customized;
	}

	private static IllegalStateException declared(Job existing, JobDefinition replacement) {
		return new IllegalStateException("Job name '" + existing.name + "' is declared by "
				+ existing.definition.source() + "; " + replacement.source()
				+ " cannot replace it: give the new job another name, or remove the declared one first");
	}

	/**
	 * The job of a name.
	 * @throws NoSuchJobException if none has it
	 */
	Job require(String name) {
		Job job = (name != null) ? this.jobs.get(name) : null;
		if (job == null) {
			throw new NoSuchJobException(name);
		}
		return job;
	}

	/** The job of a name, or {@code null}. */
	Job find(String name) {
		return this.jobs.get(name);
	}

	void remove(Job job) {
		this.jobs.remove(job.name, job);
	}

	/**
	 * Removes a job whose schedule fires no more, and remembers its name.
	 * @return whether it was still registered
	 */
	boolean removeFinished(Job job) {
		if (!this.jobs.remove(job.name, job)) {
			return false;
		}
		synchronized (this.finished) {
			this.finished.add(job.name);
			if (this.finished.size() > FINISHED_NAMES) {
				this.finished.remove(this.finished.iterator().next());
			}
		}
		return true;
	}

	/**
	 * Whether a name is that of a registered job, or of a one-time job that finished,
	 * whose history is still there to read.
	 * @throws NoSuchJobException if neither
	 */
	void requireKnown(String name) {
		synchronized (this.finished) {
			if (name != null && this.finished.contains(name)) {
				return;
			}
		}
		require(name);
	}

	/** The names of the registered jobs and of the finished one-time jobs. */
	Set<String> knownNames() {
		Set<String> names = new LinkedHashSet<>(this.jobs.keySet());
		synchronized (this.finished) {
			names.addAll(this.finished);
		}
		return names;
	}

	Collection<Job> all() {
		return this.jobs.values();
	}

	List<Job> sorted() {
		return this.jobs.values().stream().sorted(Comparator.comparing((job) -> job.name)).toList();
	}

	Set<String> names() {
		return Set.copyOf(this.jobs.keySet());
	}

	/** The names of the jobs with a tag, sorted. */
	Set<String> namesWithTag(String tag) {
		Set<String> names = new LinkedHashSet<>();
		this.jobs.values()
			.stream()
			.filter((job) -> job.definition.tags().contains(tag))
			.map((job) -> job.name)
			.sorted()
			.forEach(names::add);
		return names;
	}

	int size() {
		return this.jobs.size();
	}

}
