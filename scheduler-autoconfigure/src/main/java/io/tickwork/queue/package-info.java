/**
 * Queued jobs: the {@link io.tickwork.JobQueue} implementation ({@link io.tickwork.queue.QueueEngine}),
 * the handlers it runs, the queue store SPI ({@link io.tickwork.queue.QueueStore}) and its
 * in-memory default, and the payload codec SPI. The Redis store lives in
 * {@code io.tickwork.redis}. Nothing here imports Spring.
 */
package io.tickwork.queue;
