/**
 * The public API of Tickwork: {@code @ScheduledJob} and {@code @Retry} to declare jobs,
 * {@link io.tickwork.JobScheduler} to steer them at run time, {@link io.tickwork.JobContext}
 * for a running job, {@link io.tickwork.JobListener} to observe executions, and the value
 * types they exchange ({@link io.tickwork.JobDefinition}, {@link io.tickwork.JobExecution},
 * {@link io.tickwork.JobInfo}, {@link io.tickwork.JobStats}). Depends on the JDK and on
 * {@code io.tickwork.schedule} only; nothing here imports Spring.
 */
package io.tickwork;
