package io.tickwork.benchmarks;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.tickwork.schedule.Schedule;

/**
 * Nanoseconds per {@code next()} call: Tickwork's cron schedule against Spring's
 * {@code CronExpression}, same expressions, zones and random start times (spread over two
 * years, so caches are not flattered).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CronNextBenchmark {

	@Param({ "0 0 9 * * MON-FRI|UTC", "*/15 * * * * *|UTC", "0 */5 * * * *|Europe/Berlin", "0 0 0 L * ?|UTC",
			"0 0 12 ? * 5L|Asia/Tokyo", "0 30 2 15W * ?|Europe/Paris", "0 0 9 ? * MON#2|America/New_York",
			"0 15 10 1,15 * ?|America/New_York" })
	public String spec;

	private Schedule tickwork;

	private org.springframework.scheduling.support.CronExpression spring;

	private final Instant[] instants = new Instant[1024];

	private final ZonedDateTime[] zoned = new ZonedDateTime[1024];

	private int index;

	@Setup
	public void setUp() {
		String[] parts = this.spec.split("\\|");
		ZoneId zone = ZoneId.of(parts[1]);
		this.tickwork = Schedule.cron(parts[0], zone);
		this.spring = org.springframework.scheduling.support.CronExpression.parse(parts[0]);
		Random random = new Random(42);
		long start = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
		for (int i = 0; i < this.instants.length; i++) {
			this.instants[i] = Instant.ofEpochSecond(start + (long) (random.nextDouble() * 2 * 365 * 86400));
			this.zoned[i] = this.instants[i].atZone(zone);
		}
	}

	@Benchmark
	public Instant tickwork() {
		return this.tickwork.next(this.instants[this.index++ & 1023]).orElseThrow();
	}

	@Benchmark
	public ZonedDateTime spring() {
		return this.spring.next(this.zoned[this.index++ & 1023]);
	}

}
