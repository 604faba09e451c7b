/**
 * The lock SPI, {@link io.tickwork.lock.JobLock}: claims a fire for one instance with a
 * {@link io.tickwork.lock.Lease} and a fencing token, extends and releases it; and
 * {@link io.tickwork.lock.InMemoryJobLock}, its single-instance default, which reads pauses
 * from the state SPI. Depends on the API, the state SPI and the JDK; nothing here imports
 * Spring or the engine.
 */
package io.tickwork.lock;
