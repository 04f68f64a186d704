package com.creditrisk.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** run.json's keys, their order and their value formats: the typed record writes what the map did. No Spark. */
class RunManifestTest {
  @Test
  void writesTheKeysOfRunJsonInTheirOrder() throws Exception {
    Map<String, Long> status = new LinkedHashMap<>();
    status.put("bad", 1L);
    status.put("good", 2L);
    Map<String, Long> splits = new LinkedHashMap<>();
    splits.put("train", 2L);
    splits.put("test", 0L);
    splits.put("oot", 1L);
    RunManifest m = new RunManifest("2025-06-30-abc", LocalDate.of(2025, 6, 30), LocalDate.of(2025, 7, 5),
        "latest date in inputs", "1.0", "4.2.0", "abc", Map.of("k", 1),
        Map.of("loans", Map.of("path", "p")),
        new RunManifest.RowCounts(Map.of("loans", Map.of("rows", 3L)), Map.of("bad", 1L), status, splits),
        new RunManifest.MatureLabelled(2, 1), List.of("2024-12"),
        List.of(new RunManifest.Exclusion("loans", "after_as_of", 1, "dated after the as-of date: set aside, not read")),
        new RunManifest.ScoreAtApplication(1, 1, 0, 0, 3, 0, 0),
        new RunManifest.Outputs(new RunManifest.Output("wh/loan_performance", 0),
            new RunManifest.Output("wh/model_dataset", 1)),
        Instant.parse("2026-01-01T00:00:00.5Z"), Instant.parse("2026-01-01T00:00:01Z"), Map.of("validate_inputs", 7L));
    assertEquals("{\"run_id\":\"2025-06-30-abc\",\"command\":\"build-dataset\",\"as_of_date\":\"2025-06-30\","
        + "\"extract_date\":\"2025-07-05\",\"extract_date_source\":\"latest date in inputs\",\"code_version\":\"1.0\","
        + "\"spark_version\":\"4.2.0\",\"config_fingerprint\":\"abc\",\"config\":{\"k\":1},"
        + "\"inputs\":{\"loans\":{\"path\":\"p\"}},"
        + "\"row_counts\":{\"inputs\":{\"loans\":{\"rows\":3}},\"loan_performance\":{\"bad\":1},"
        + "\"model_dataset\":{\"bad\":1,\"good\":2},\"splits\":{\"train\":2,\"test\":0,\"oot\":1}},"
        + "\"mature_labelled\":{\"good\":2,\"bad\":1},\"oot_months\":[\"2024-12\"],"
        + "\"excluded\":[{\"table\":\"loans\",\"reason\":\"after_as_of\",\"rows\":1,"
        + "\"meaning\":\"dated after the as-of date: set aside, not read\"}],"
        + "\"score_at_application\":{\"missing\":1,\"no_snapshot\":1,\"stale\":0,\"only_after_application\":0,"
        + "\"decision_score_present\":3,\"decision_score_differs\":0,\"decision_score_without_usable_score\":0},"
        + "\"outputs\":{\"loan_performance\":{\"path\":\"wh/loan_performance\",\"delta_version\":0},"
        + "\"model_dataset\":{\"path\":\"wh/model_dataset\",\"delta_version\":1}},"
        + "\"started_at\":\"2026-01-01T00:00:00.500Z\",\"finished_at\":\"2026-01-01T00:00:01Z\","
        + "\"timings_ms\":{\"validate_inputs\":7}}", new ObjectMapper().writeValueAsString(m));
  }

  @Test
  void matureBadRateIsNaNWithoutMatureLabelledLoans() {
    assertEquals(List.of(0.25, Double.NaN), List.of(new RunManifest.MatureLabelled(3, 1).badRate(),
        new RunManifest.MatureLabelled(0, 0).badRate()));
  }
}
