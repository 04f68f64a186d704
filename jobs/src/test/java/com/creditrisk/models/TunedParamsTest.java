package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** chosen_params and tuning as model_card.json and model_card.md show them. No Spark. */
class TunedParamsTest {
  @Test
  void modelCardJsonOfEachKindOfSetting() throws Exception {
    List<Object> json = Arrays.asList(TunedParams.regParam(0.001).toJson(), TunedParams.NONE.toJson(),
        new Trial(TunedParams.maxDepth(3), 26, 0.7).toJson(), new Trial(TunedParams.NONE, null, null).toJson(),
        new Trial(TunedParams.regParam(0.0), null, 0.69).toJson());
    assertEquals("[{\"reg_param\":0.001},{},{\"max_depth\":3,\"trees\":26,\"test_auc\":0.7},{\"test_auc\":null},"
        + "{\"reg_param\":0.0,\"test_auc\":0.69}]", new ObjectMapper().writeValueAsString(json));
  }

  @Test
  void modelCardMarkdownShowsTheSettingAsAMapDid() {
    assertEquals(List.of("{reg_param=0.0}", "{max_depth=2}", "{}"), List.of(TunedParams.regParam(0.0).toString(),
        TunedParams.maxDepth(2).toString(), TunedParams.NONE.toString()));
  }
}
