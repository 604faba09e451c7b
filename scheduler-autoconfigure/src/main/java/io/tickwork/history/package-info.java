/**
 * The history SPI, {@link io.tickwork.history.JobHistory}: records executions once per id
 * and answers recent executions and statistics; and
 * {@link io.tickwork.history.InMemoryJobHistory}, its bounded single-instance default.
 * Depends on the API and the JDK; nothing here imports Spring or the engine.
 */
package io.tickwork.history;
