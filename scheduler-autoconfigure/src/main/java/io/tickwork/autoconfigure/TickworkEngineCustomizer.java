package io.tickwork.autoconfigure;

import io.tickwork.engine.TickworkEngineBuilder;

/**
 * Callback to customize the {@link TickworkEngineBuilder} beyond what properties
 * express, such as its clock. Customizer beans are applied in order.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@FunctionalInterface
public interface TickworkEngineCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder
	 */
	void customize(TickworkEngineBuilder builder);

}
