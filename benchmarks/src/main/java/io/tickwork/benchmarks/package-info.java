/**
 * Benchmarks: the JMH cron benchmark, the end-to-end harness that measures Tickwork beside
 * its peers, and the report that turns their output into tables. Run by hand; see
 * {@code benchmarks/README.md}.
 */
package io.tickwork.benchmarks;
