package com.creditrisk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.creditrisk.config.CreditRiskConfig;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slice each table's run owns, as replaceWhere and pipeline.json spell it. No Spark. */
class WarehouseTableTest {
  private static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);

  @Test
  void eachTableIsAFolderOfTheWarehouse() {
    CreditRiskConfig conf = CreditRiskConfig.defaults().with(List.of("warehouse.path=/data/wh"));
    assertEquals(List.of("/data/wh/loan_performance", "/data/wh/model_dataset", "/data/wh/scored_applications",
        "/data/wh/cutoff_curve", "/data/wh/validation_metrics", "/data/wh/monitoring_metrics"),
        List.of(WarehouseTable.values()).stream().map(t -> t.path(conf)).toList());
  }

  @Test
  void predicatesOfTheThreeSlices() {
    assertEquals(List.of("as_of_date = '2025-12-31'",
        "as_of_date = '2025-12-31' AND model_run_id = '2025-12-31-ab''c'",
        "run_id = '2025-12-31-ab''c'"),
        List.of(WarehouseTable.MODEL_DATASET.predicate(AS_OF, "ignored"),
            WarehouseTable.SCORED_APPLICATIONS.predicate(AS_OF, "2025-12-31-ab'c"),
            WarehouseTable.VALIDATION_METRICS.runPredicate("2025-12-31-ab'c")));
  }

  @Test
  void monitorOwnsTheAsOfDatesItCoversAndThePipelineDoesNotListItsTable() {
    assertEquals("as_of_date >= '2025-10-31' AND as_of_date <= '2025-12-31'",
        WarehouseTable.MONITORING_METRICS.rangePredicate(LocalDate.of(2025, 10, 31), AS_OF));
    assertEquals(List.of(WarehouseTable.LOAN_PERFORMANCE, WarehouseTable.MODEL_DATASET,
        WarehouseTable.SCORED_APPLICATIONS, WarehouseTable.CUTOFF_CURVE, WarehouseTable.VALIDATION_METRICS),
        WarehouseTable.pipelineTables());
    assertThrows(IllegalStateException.class, () -> WarehouseTable.MONITORING_METRICS.predicate(AS_OF, "m"));
    assertThrows(IllegalStateException.class, () -> WarehouseTable.VALIDATION_METRICS.rangePredicate(AS_OF, AS_OF));
  }

  @Test
  void aSliceAskedOfTheWrongKindOfTableIsABug() {
    assertThrows(IllegalStateException.class, () -> WarehouseTable.VALIDATION_METRICS.predicate(AS_OF, "m"));
    assertThrows(IllegalStateException.class, () -> WarehouseTable.CUTOFF_CURVE.runPredicate("r"));
  }
}
