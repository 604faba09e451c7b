/**
 * When jobs fire: {@link io.tickwork.schedule.Schedule} and its kinds (cron, fixed rate,
 * fixed delay, once), the Unix and Quartz-style cron parser with Vixie cron's day rule and
 * cronie's daylight-saving rules, and duration parsing. Depends on the JDK only.
 */
package io.tickwork.schedule;
