package com.creditrisk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.cli.CreditRisk;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.contract.InputTable;
import com.creditrisk.models.TrainModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated demo data (12,000 customers, as of the extract date 2025-12-31), its model dataset and
 * trained models, made once per test JVM and shared by the test classes that need a train run
 * (training takes most of a minute). Removed when the JVM exits.
 */
public final class TrainedDemo {
  public static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);

  public record Fixture(Path dir, String warehouse, CreditRiskConfig conf, List<String> sets,
      TrainModels.Result trained) {}

  private static Fixture fixture;

  private TrainedDemo() {}

  public static synchronized Fixture get() throws Exception {
    if (fixture == null) {
      Path dir = Files.createTempDirectory("trained-demo");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
        } catch (java.io.IOException e) {
          // A leftover temp folder is harmless.
        }
      }));
      String wh = dir.resolve("wh").toString();
      String data = dir.resolve("data").toString();
      assertEquals(0, CreditRisk.execute("generate", "--customers", "12000", "--out", data));
      List<String> sets = new ArrayList<>(List.of("warehouse.path=" + wh));
      for (InputTable t : InputTable.values()) {
        sets.add("inputs." + t.tableName() + ".path=" + data + "/" + t.tableName());
      }
      CreditRiskConfig conf = CreditRiskConfig.defaults().with(sets);
      List<String> args = new ArrayList<>(List.of("build-dataset", "--as-of", AS_OF.toString()));
      sets.forEach(s -> args.addAll(List.of("--set", s)));
      assertEquals(0, CreditRisk.execute(args.toArray(new String[0])));
      TrainModels.Result trained = TrainModels.run(TestSpark.get(), new TrainModels.Input(conf, AS_OF));
      fixture = new Fixture(dir, wh, conf, List.copyOf(sets), trained);
    }
    return fixture;
  }
}
