package io.tickwork.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the configuration metadata that IDEs show users: every property described, the
 * enums hinted, defaults readable.
 */
class ConfigurationMetadataTests {

	@SuppressWarnings("unchecked")
	private static Map<String, Object> metadata() throws Exception {
		try (InputStream in = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return JsonMapper.builder().build().readValue(in, Map.class);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> property(String name) throws Exception {
		for (Map<String, Object> property : (List<Map<String, Object>>) metadata().get("properties")) {
			if (property.get("name").equals(name)) {
				return property;
			}
		}
		return null;
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyHasADescription() throws Exception {
		List<String> undescribed = new ArrayList<>();
		for (Map<String, Object> property : (List<Map<String, Object>>) metadata().get("properties")) {
			Object description = property.get("description");
			if (description == null || description.toString().isBlank()) {
				undescribed.add(property.get("name").toString());
			}
		}
		assertThat(undescribed).isEmpty();
	}

	@Test
	void theHealthContributorsSwitchAndReadableDefaultsAreThere() throws Exception {
		assertThat(property("management.health.jobs.enabled")).containsEntry("defaultValue", true);
		assertThat(property("tickwork.start-lead")).containsEntry("defaultValue", "800us");
		assertThat(property("tickwork.jobs").get("description").toString()).contains("tickwork.jobs[reports.weekly]")
			.contains("retry.*");
	}

	@Test
	@SuppressWarnings("unchecked")
	void enumValuedPropertiesHaveHintsWithDescriptions() throws Exception {
		List<String> hinted = new ArrayList<>();
		for (Map<String, Object> hint : (List<Map<String, Object>>) metadata().get("hints")) {
			for (Map<String, Object> value : (List<Map<String, Object>>) hint.get("values")) {
				assertThat(value.get("description")).as("%s = %s", hint.get("name"), value.get("value")).isNotNull();
			}
			hinted.add(hint.get("name").toString());
		}
		assertThat(hinted).contains("tickwork.store", "tickwork.defaults.overlap", "tickwork.defaults.misfire",
				"tickwork.defaults.retry.backoff");
	}

}
