package com.creditrisk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.cli.CreditRisk;
import com.creditrisk.contract.InputTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Generated demo data under a folder, and the --set values that point every input and the warehouse there. */
public final class GeneratedWarehouse {
  private GeneratedWarehouse() {}

  /** Generates {@code customers} customers (default seed) into dir/data; the warehouse is dir/wh. */
  public static List<String> generate(Path dir, int customers) {
    String data = dir.resolve("data").toString();
    assertEquals(0, CreditRisk.execute("generate", "--customers", String.valueOf(customers), "--out", data));
    List<String> sets = new ArrayList<>(List.of("warehouse.path=" + dir.resolve("wh")));
    for (InputTable t : InputTable.values()) {
      sets.add("inputs." + t.tableName() + ".path=" + data + "/" + t.tableName());
    }
    return sets;
  }
}
