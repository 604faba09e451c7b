/**
 * The state SPI, {@link io.tickwork.state.JobStateStore}: pauses and the latest claimed
 * fire of each job; and {@link io.tickwork.state.InMemoryJobStateStore}, its single-instance
 * default. Depends on the API and the JDK; nothing here imports Spring or the engine.
 */
package io.tickwork.state;
