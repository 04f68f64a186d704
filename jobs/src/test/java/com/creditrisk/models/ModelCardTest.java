package com.creditrisk.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.metrics.Discrimination;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model card's fields and its escaping of data values, without Spark. */
class ModelCardTest {

  @Test
  void thePdWhereKsPeaksIsNamedKsAtPdNotKsPd() {
    Map<String, Object> m = ModelCard.metrics(new Discrimination.Result(1000, 100, 0.7, 0.4, 0.3, 0.083));
    assertEquals(List.of("n", "n_bad", "auc", "gini", "ks", "ks_at_pd"), List.copyOf(m.keySet()));
    assertEquals(0.083, m.get("ks_at_pd"));
    assertEquals(0.3, m.get("ks"));
  }
}
