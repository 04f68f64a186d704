package com.creditrisk.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stages and tables of pipeline.json as the typed records write them. No Spark. */
class PipelineRecordTest {
  @Test
  void stagesWriteTheirFiguresUnderTheirNames() throws Exception {
    Map<String, Long> status = new LinkedHashMap<>();
    status.put("bad", 1L);
    status.put("good", 2L);
    Map<String, Double> auc = new LinkedHashMap<>();
    auc.put("score_logistic", 0.68);
    auc.put("gbt", Double.NaN);
    List<PipelineRun.Stage> stages = List.of(
        new PipelineRun.Stage("build-dataset", 5, new PipelineRun.DatasetFigures(3, status, Map.of("oot", 1L))),
        new PipelineRun.Stage("train", 6, new PipelineRun.TrainFigures(auc)),
        new PipelineRun.Stage("score", 7, new PipelineRun.ScoreFigures(Map.of("gbt", 3L))),
        new PipelineRun.Stage("calibrate", 8, new PipelineRun.CalibrateFigures(100, 4)),
        new PipelineRun.Stage("validate", 9, new PipelineRun.ValidateFigures("red", Map.of("gbt", 0.7), "r.html")));
    assertEquals("[{\"name\":\"build-dataset\",\"elapsedMs\":5,\"figures\":{\"applications\":3,"
        + "\"status\":{\"bad\":1,\"good\":2},\"splits\":{\"oot\":1}}},"
        + "{\"name\":\"train\",\"elapsedMs\":6,\"figures\":{\"oot_auc\":{\"score_logistic\":0.68,\"gbt\":\"NaN\"}}},"
        + "{\"name\":\"score\",\"elapsedMs\":7,\"figures\":{\"rows_by_model\":{\"gbt\":3}}},"
        + "{\"name\":\"calibrate\",\"elapsedMs\":8,\"figures\":{\"curve_rows\":100,\"cutoff_curve_version\":4}},"
        + "{\"name\":\"validate\",\"elapsedMs\":9,\"figures\":{\"verdict\":\"red\",\"oot_auc\":{\"gbt\":0.7},"
        + "\"report\":\"r.html\"}}]", new ObjectMapper().writeValueAsString(stages));
  }

  @Test
  void evaluateSourcesWritesEachSourcesGainCiPValueAndVerdict() throws Exception {
    PipelineRun.Stage stage = new PipelineRun.Stage("evaluate-sources", 10, new PipelineRun.SourcesFigures(711, 0.75,
        List.of(new PipelineRun.SourceFigures("bureau", 0.03, List.of(0.01, 0.05), 0.002, 830.5, "pays"))));
    assertEquals("{\"name\":\"evaluate-sources\",\"elapsedMs\":10,\"figures\":{\"rows\":711,\"approval_rate\":0.75,"
        + "\"sources\":[{\"source\":\"bureau\",\"auc_gain\":0.03,\"auc_gain_ci95\":[0.01,0.05],\"p_value\":0.002,"
        + "\"value_per_1000\":830.5,\"verdict\":\"pays\"}]}}", new ObjectMapper().writeValueAsString(stage));
  }

  @Test
  void aTableThatDoesNotExistHasNoRowsOrChecksum() throws Exception {
    assertEquals(List.of("{\"path\":\"wh/cutoff_curve\",\"version\":-1,\"where\":\"as_of_date = '2025-12-31'\"}",
        "{\"path\":\"wh/model_dataset\",\"version\":2,\"where\":\"as_of_date = '2025-12-31'\",\"rows\":5,"
            + "\"checksum\":\"-12\"}"),
        List.of(new ObjectMapper().writeValueAsString(new TableFingerprint.SliceRecord("wh/cutoff_curve", -1,
            "as_of_date = '2025-12-31'", null, null)),
            new ObjectMapper().writeValueAsString(new TableFingerprint.SliceRecord("wh/model_dataset", 2,
                "as_of_date = '2025-12-31'", 5L, "-12"))));
  }
}
