/**
 * Spring Boot auto-configuration: {@code TickworkProperties}, the engine and its stores as
 * beans (in memory, or Redis when a connection factory is present), the bean post-processor
 * that turns {@code @ScheduledJob} methods into definitions, the lifecycle, metrics, health
 * and endpoint wiring. The only package that knows both Spring and the engine; everything
 * above may be used without it.
 */
package io.tickwork.autoconfigure;
