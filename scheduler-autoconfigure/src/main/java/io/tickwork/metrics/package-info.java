/**
 * Micrometer metrics and observations of executions, each a
 * {@link io.tickwork.JobListener}. Depends on the API and Micrometer; not on the engine.
 */
package io.tickwork.metrics;
