package com.creditrisk.calibrate;

import static org.apache.spark.sql.functions.col;

import com.creditrisk.config.CalibrateConfig;
import com.creditrisk.config.CreditRiskConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every model's PD calibration by every method, fitted on the test rows and checked on test and
 * oot, with the master scale of the configured method: the calibration.json object. Small fits on
 * one cached read of the labelled rows.
 */
final class ModelCalibrations {
  private ModelCalibrations() {}

  static PdCalibration calibrateAll(Dataset<Row> labelled, List<String> models, CreditRiskConfig conf,
      Map<String, Object> calibration) {
    CalibrateConfig cc = conf.calibrate();
    PdCalibration chosen = null;
    for (String m : models) {
      Dataset<Row> rows = labelled.where(col("model").equalTo(m));
      Map<String, Object> perModel = new LinkedHashMap<>();
      perModel.put("uncalibrated", PdCalibration.checkBySplit(rows, "pd"));
      for (CalibrateConfig.Method method : CalibrateConfig.Method.values()) {
        PdCalibration cal = PdCalibration.fit(rows.where(col("split").equalTo("test")), method, cc.pdFloor());
        Dataset<Row> withPd = cal.transform(rows);
        Map<String, Object> m1 = new LinkedHashMap<>(cal.describe());
        m1.put("checks", PdCalibration.checkBySplit(withPd, PdCalibration.PD_CAL));
        if (method == cc.method()) {
          m1.put("master_scale", masterScale(PdCalibration.masterScale(withPd, conf.train().gradeBounds()),
              conf.train().gradeBounds(), cc.pdFloor()));
          if (m.equals(cc.model())) {
            chosen = cal;
          }
        }
        perModel.put(method.configName(), m1);
      }
      calibration.put(m, perModel);
    }
    return chosen;
  }

  /** The master scale's grades; the outer grades' PD ranges end at the floor and the cap, never at 0 or 1. */
  static List<Map<String, Object>> masterScale(List<Row> rows, List<Double> bounds, double floor) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      int g = r.getInt(r.fieldIndex("grade"));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("split", r.getString(r.fieldIndex("split")));
      m.put("grade", g);
      m.put("pd_lower", g == 1 ? floor : bounds.get(g - 2));
      m.put("pd_upper", g > bounds.size() ? 1 - floor : bounds.get(g - 1));
      long n = r.getLong(r.fieldIndex("n"));
      long bads = r.getLong(r.fieldIndex("bads"));
      m.put("n", n);
      m.put("bads", bads);
      m.put("observed_bad_rate", (double) bads / n);
      m.put("mean_pd", r.getDouble(r.fieldIndex("mean_pd")));
      m.put("min_score", r.getDouble(r.fieldIndex("min_score")));
      m.put("max_score", r.getDouble(r.fieldIndex("max_score")));
      out.add(m);
    }
    return out;
  }}
