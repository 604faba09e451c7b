package io.tickwork;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a job that Tickwork runs on a schedule, once per fire across
 * every instance that shares the same store.
 * <p>
 * Exactly one of {@link #cron()} and {@link #interval()} must be set. Every string
 * attribute accepts {@code ${...}} placeholders; durations accept Spring Boot's formats
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code PT1H}, or a plain number of
 * milliseconds). Attributes left unset take their value from {@code tickwork.defaults.*};
 * {@code tickwork.jobs.<name>.*} overrides both.
 * <p>
 * The method must return {@code void} and take either no parameter or a single
 * {@link JobContext}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ScheduledJob {

	/**
	 * Name of the job, unique in the application; letters, digits, {@code .},
	 * {@code _} and {@code -}. Defaults to the method name in kebab-case
	 * ({@code weeklyReport} becomes {@code weekly-report}).
	 * @return the job name
	 */
	String name() default "";

	/**
	 * Cron expression: 5 fields (minute first, as in Unix cron) or 6 fields (seconds
	 * first), or one of {@code @yearly}, {@code @annually}, {@code @monthly},
	 * {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}.
	 * @return the cron expression
	 */
	String cron() default "";

	/**
	 * Time zone of {@link #cron()}, such as {@code Europe/Paris}. Defaults to
	 * {@code tickwork.defaults.zone}, itself the JVM's default zone.
	 * @return the zone id
	 */
	String zone() default "";

	/**
	 * Interval between fires, such as {@code 30s}. Fires fall on multiples of the interval
	 * since the epoch, shifted by a phase derived from the job name, so that every
	 * instance computes the same fire times and jobs sharing an interval are spread over
	 * it; with {@link #fixedDelay()} the interval counts from the end of the previous run.
	 * @return the interval
	 */
	String interval() default "";

	/**
	 * Minimum time between startup and the first fire of an {@link #interval()} job.
	 * @return the initial delay
	 */
	String initialDelay() default "";

	/**
	 * Whether {@link #interval()} is measured from the end of the previous execution on
	 * this instance instead of being a fixed rate.
	 * @return whether the interval is a fixed delay
	 */
	boolean fixedDelay() default false;

	/**
	 * Maximum duration of one attempt; when it elapses the job's thread is interrupted
	 * and the attempt ends as {@link ExecutionStatus#TIMED_OUT}. Defaults to
	 * {@code tickwork.defaults.timeout} (no timeout unless set).
	 * @return the timeout
	 */
	String timeout() default "";

	/**
	 * Retry policy applied within one fire. Unset attributes come from
	 * {@code tickwork.defaults.retry.*}.
	 * @return the retry policy
	 */
	Retry retry() default @Retry;

	/**
	 * What to do when a fire comes while the previous one still runs: at most one
	 * value; empty means {@code tickwork.defaults.overlap} ({@link Overlap#SKIP} unless
	 * configured).
	 * @return the overlap policy
	 */
	Overlap[] overlap() default {};

	/**
	 * What to do with a fire found later than {@code tickwork.misfire-threshold}: at
	 * most one value; empty means {@code tickwork.defaults.misfire}
	 * ({@link Misfire#RUN_ONCE} unless configured).
	 * @return the misfire policy
	 */
	Misfire[] misfire() default {};

	/**
	 * Free-form tags, for pausing and resuming groups of jobs.
	 * @return the tags
	 */
	String[] tags() default {};

	/**
	 * Whether the job is scheduled. A disabled job is listed but never fires.
	 * @return whether the job is enabled
	 */
	boolean enabled() default true;

	/**
	 * Whether an instance that starts runs the job at once when no instance ran it since
	 * its previous scheduled time. The run stands for that fire and is claimed like it, so
	 * instances that start together run it once, and a rolling restart does not run it
	 * again. Not for fixed-delay jobs, which run at start anyway.
	 * @return whether the job runs on start
	 * @since 0.1.0
	 */
	boolean runOnStart() default false;

}
