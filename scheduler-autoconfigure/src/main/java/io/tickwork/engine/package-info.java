/**
 * The engine, a room per step of a fire's way: {@code JobRegistry} holds the jobs,
 * {@code Ticker} decides when (its timer heaps and its thread), {@code FirePlanner} arms fires
 * and applies misfire policies, {@code FireQueue} keeps each job's fires in order,
 * {@code Dispatcher} hands work to workers within {@code max-concurrent}, {@code ClaimStep}
 * claims a fire, {@code Runner} does one run (attempts, timeout, retry), {@code ReleaseStep}
 * and {@code Recorder} end it, {@code LeaseKeeper} renews leases and {@code Shutdown} winds
 * down. {@link io.tickwork.engine.TickworkEngine} is the facade that wires them and
 * implements {@link io.tickwork.JobScheduler}; no room depends on it. Depends on the API,
 * the schedules, the store SPIs ({@code lock}, {@code history}, {@code state}) and SLF4J;
 * nothing here imports Spring. {@code docs/architecture.md} draws the way of a fire.
 */
package io.tickwork.engine;
