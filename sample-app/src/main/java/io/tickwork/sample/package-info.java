/**
 * The sample application: typical scheduled jobs, a work queue and a cluster demo, run
 * with {@code mvn -pl sample-app spring-boot:run}.
 */
package io.tickwork.sample;
