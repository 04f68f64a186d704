package com.creditrisk;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.creditrisk.errors.CreditRiskException;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map, enforced: packages by capability in layers, each layer importing only the
 * layers below it, no package cycles, user-facing errors built only by the {@code Errors} factory,
 * and the console written only by the command line. The
 * layers, bottom to top:
 *
 * <ol>
 *   <li>foundation: {@code errors}, {@code contract} (the input contract as data);</li>
 *   <li>{@code config}: the config registry and its typed settings;</li>
 *   <li>platform: {@code io} (Spark sessions, the warehouse tables), {@code run} (run folders);</li>
 *   <li>capabilities: {@code metrics}, {@code cutoffs}, {@code features}, {@code labels},
 *       {@code binning}, {@code report}: statistics and transforms with no job behind them;</li>
 *   <li>{@code ingest}: reading and checking the inputs;</li>
 *   <li>jobs: {@code dataset}, {@code models}, {@code calibrate}, {@code validation},
 *       {@code generate}, {@code monitoring}: each its own stage, none importing another;</li>
 *   <li>{@code pipeline}: stages run together;</li>
 *   <li>{@code cli}: the commands.</li>
 * </ol>
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("com.creditrisk");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("com.creditrisk.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void eachLayerImportsOnlyTheLayersBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("errors").definedBy("com.creditrisk.errors..")
        .layer("contract").definedBy("com.creditrisk.contract..")
        .layer("config").definedBy("com.creditrisk.config..")
        .layer("platform").definedBy("com.creditrisk.io..", "com.creditrisk.run..")
        .layer("capabilities").definedBy("com.creditrisk.metrics..", "com.creditrisk.cutoffs..",
            "com.creditrisk.features..", "com.creditrisk.labels..", "com.creditrisk.binning..",
            "com.creditrisk.report..")
        .layer("ingest").definedBy("com.creditrisk.ingest..")
        .layer("jobs").definedBy("com.creditrisk.dataset..", "com.creditrisk.models..",
            "com.creditrisk.calibrate..", "com.creditrisk.validation..", "com.creditrisk.generate..",
            "com.creditrisk.monitoring..")
        .layer("pipeline").definedBy("com.creditrisk.pipeline..")
        .layer("cli").definedBy("com.creditrisk.cli..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("jobs").mayOnlyBeAccessedByLayers("pipeline", "cli")
        .whereLayer("ingest").mayOnlyBeAccessedByLayers("jobs", "pipeline", "cli")
        .whereLayer("capabilities").mayOnlyBeAccessedByLayers("capabilities", "ingest", "jobs", "pipeline", "cli")
        .whereLayer("platform").mayOnlyBeAccessedByLayers("platform", "capabilities", "ingest", "jobs", "pipeline",
            "cli")
        .whereLayer("config").mayOnlyBeAccessedByLayers("platform", "capabilities", "ingest", "jobs", "pipeline",
            "cli")
        .whereLayer("contract").mayOnlyBeAccessedByLayers("config", "platform", "capabilities", "ingest", "jobs",
            "pipeline", "cli")
        .check(classes);
  }

  @Test
  void noJobImportsAnotherJob() {
    String[] jobs = {"dataset", "models", "calibrate", "validation", "generate", "monitoring"};
    for (String job : jobs) {
      String[] others = java.util.Arrays.stream(jobs).filter(j -> !j.equals(job))
          .map(j -> "com.creditrisk." + j + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage("com.creditrisk." + job + "..")
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .because("a job package imports no other job; shared names live in io, run or a capability package")
          .check(classes);
    }
  }

  @Test
  void userFacingErrorsAreBuiltOnlyByTheErrorsFactory() {
    noClasses().that().resideOutsideOfPackage("com.creditrisk.errors..")
        .should().callConstructorWhere(JavaCall.Predicates.target(
            HasOwner.Predicates.With.owner(JavaClass.Predicates.assignableTo(CreditRiskException.class))))
        .because("every message and exit code comes from one place, tested in ErrorsTest")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineWritesToTheConsole() {
    noClasses().that().resideOutsideOfPackage("com.creditrisk.cli..").should(ACCESS_STANDARD_STREAMS)
        .because("jobs log through SLF4J; only commands print to their PrintWriter or the console")
        .check(classes);
  }
}
