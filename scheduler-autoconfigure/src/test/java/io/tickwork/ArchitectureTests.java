package io.tickwork;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the layering of DESIGN.md: the API, the schedules, the engine and the store SPIs
 * know nothing of Spring, and arrows only point downwards.
 */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.tickwork");

	@Test
	void coreImportsNothingFromSpring() {
		noClasses().that()
			.resideInAnyPackage("io.tickwork", "io.tickwork.schedule", "io.tickwork.engine", "io.tickwork.lock",
					"io.tickwork.history", "io.tickwork.state", "io.tickwork.queue")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(this.classes);
	}

	@Test
	void scheduleDependsOnlyOnTheJdk() {
		noClasses().that()
			.resideInAPackage("io.tickwork.schedule")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tickwork", "io.tickwork.engine", "io.tickwork.lock", "io.tickwork.history",
					"io.tickwork.state", "io.tickwork.autoconfigure", "org.slf4j..")
			.check(this.classes);
	}

	@Test
	void storesDoNotDependOnTheEngineOrSpringGlue() {
		noClasses().that()
			.resideInAnyPackage("io.tickwork", "io.tickwork.lock", "io.tickwork.history", "io.tickwork.state")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tickwork.engine", "io.tickwork.autoconfigure")
			.check(this.classes);
	}

	@Test
	void engineDoesNotDependOnTheSpringGlue() {
		noClasses().that()
			.resideInAPackage("io.tickwork.engine")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.tickwork.autoconfigure")
			.check(this.classes);
	}

	@Test
	void engineRoomsDoNotDependOnTheFacade() {
		noClasses().that()
			.resideInAPackage("io.tickwork.engine")
			.and()
			.doNotHaveSimpleName("TickworkEngine")
			.and()
			.doNotHaveSimpleName("TickworkEngineBuilder")
			.should()
			.dependOnClassesThat()
			.haveSimpleName("TickworkEngine")
			.check(this.classes);
	}

	@Test
	void queueDependsOnlyOnTheApiTheEngineAndTheSpis() {
		noClasses().that()
			.resideInAPackage("io.tickwork.queue")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tickwork.autoconfigure", "io.tickwork.redis", "io.tickwork.metrics",
					"io.tickwork.actuate")
			.check(this.classes);
	}

	@Test
	void adaptersDoNotDependOnTheEngine() {
		noClasses().that()
			.resideInAnyPackage("io.tickwork.redis", "io.tickwork.metrics", "io.tickwork.actuate")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.tickwork.engine", "io.tickwork.autoconfigure")
			.check(this.classes);
	}

}
