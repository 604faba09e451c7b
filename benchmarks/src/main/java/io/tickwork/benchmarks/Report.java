package io.tickwork.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the harness output ({@code RESULT} lines) and JMH's JSON result file into the
 * markdown tables of README.md.
 * <p>
 * Usage: {@code java -cp tickwork-benchmarks.jar io.tickwork.benchmarks.Report
 * harness.log jmh-cron.json}.
 */
public final class Report {

	private static final Pattern JMH = Pattern.compile(
			"\"benchmark\"\\s*:\\s*\"[^\"]*\\.(\\w+)\".*?\"spec\"\\s*:\\s*\"([^\"]+)\".*?\"score\"\\s*:\\s*([0-9.Ee+-]+)",
			Pattern.DOTALL);

	private Report() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> results = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of(args[0]))) {
			if (line.startsWith("RESULT ")) {
				String[] parts = line.split(" ");
				results.put(parts[1], parts[2] + " " + parts[3]);
			}
		}
		if (args.length > 1) {
			cron(Files.readString(Path.of(args[1])));
		}
		System.out.println("| figure | value |");
		System.out.println("|---|---|");
		results.forEach((figure, value) -> System.out.println("| `" + figure + "` | " + value + " |"));
		ratio(results, "precision.tickwork.p50", "precision.spring.p50", "p50 lateness, Tickwork / Spring");
		ratio(results, "precision.tickwork.p99", "precision.spring.p99", "p99 lateness, Tickwork / Spring");
		ratio(results, "precision.tickwork.cpu_per_fire", "precision.spring.cpu_per_fire",
				"CPU per fire, Tickwork / Spring");
		ratio(results, "redis.tickwork.executions_per_second", "redis.shedlock.executions_per_second",
				"Redis executions/s, Tickwork / ShedLock");
	}

	private static void cron(String json) {
		Map<String, double[]> scores = new TreeMap<>();
		for (String record : json.split("\\},\\s*\\{\\s*\"jmhVersion\"")) {
			Matcher matcher = JMH.matcher(record);
			if (matcher.find()) {
				double[] pair = scores.computeIfAbsent(matcher.group(2), (spec) -> new double[2]);
				pair[matcher.group(1).equals("tickwork") ? 0 : 1] = Double.parseDouble(matcher.group(3));
			}
		}
		System.out.println("| expression and zone | Tickwork ns/op | Spring ns/op | Spring / Tickwork |");
		System.out.println("|---|---|---|---|");
		scores.forEach((spec, pair) -> System.out.printf("| `%s` | %.0f | %.0f | %.1f× |%n", spec.replace("|", " in "),
				pair[0], pair[1], pair[1] / pair[0]));
		System.out.println();
	}

	private static void ratio(Map<String, String> results, String numerator, String denominator, String label) {
		if (results.containsKey(numerator) && results.containsKey(denominator)) {
			double value = Double.parseDouble(results.get(numerator).split(" ")[0])
					/ Double.parseDouble(results.get(denominator).split(" ")[0]);
			System.out.printf("| %s | %.2f |%n", label, value);
		}
	}

}
