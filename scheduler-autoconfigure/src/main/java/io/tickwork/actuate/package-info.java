/**
 * The {@code jobs} actuator endpoint (list, read, pause, resume, run) and the health
 * contributor. Depends on the API ({@link io.tickwork.JobScheduler}) and Spring Boot's
 * actuator; not on the engine.
 */
package io.tickwork.actuate;
