package com.creditrisk.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one-row aggregates of the checks on the smaller tables, run as one query: Spark plans them
 * once and runs their independent stages side by side, instead of one query after another.
 * Results are read back in the order the checks were added, so violations and counts keep the
 * contract's table order.
 */
final class BatchQuery {
  /** Reads one check's aggregate from the combined row, starting at a column. */
  interface Reader {
    void read(Row row, int at);
  }

  private final List<Dataset<Row>> aggregates = new ArrayList<>();
  private final List<Reader> readers = new ArrayList<>();

  void add(Dataset<Row> oneRow, Reader reader) {
    aggregates.add(oneRow);
    readers.add(reader);
  }

  /** Something to do once the checks added so far have been read, in order with them. */
  void then(Runnable step) {
    aggregates.add(null);
    readers.add((row, at) -> step.run());
  }

  void run() {
    Dataset<Row> all = null;
    for (int i = 0; i < aggregates.size(); i++) {
      Dataset<Row> a = aggregates.get(i);
      if (a != null) {
        String[] names = new String[a.columns().length];
        for (int j = 0; j < names.length; j++) {
          names[j] = "c" + i + "_" + j;
        }
        // Each aggregate has exactly one row, so the cross join is one row too.
        all = all == null ? a.toDF(names) : all.crossJoin(a.toDF(names));
      }
    }
    Row row = all == null ? null : all.first();
    int at = 0;
    for (int i = 0; i < aggregates.size(); i++) {
      readers.get(i).read(row, at);
      at += aggregates.get(i) == null ? 0 : aggregates.get(i).columns().length;
    }
  }
}
