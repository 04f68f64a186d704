package com.creditrisk.ingest;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The inputs after the full contract check, parsed to contract types, still holding every row
 * (rows after the as-of date are set aside later, by the job that knows its as-of date).
 *
 * @param extractDate the configured extract date, else the latest date found in the inputs
 * @param rowCounts per table: rows read, and rows dated after the as-of date
 * @param sources per table: path, format and version or file fingerprint
 */
public record ValidatedInputs(
    Dataset<Row> scoreSnapshots,
    Dataset<Row> applications,
    Dataset<Row> loans,
    Dataset<Row> repayments,
    Optional<Dataset<Row>> loanEvents,
    LocalDate extractDate,
    Map<String, Map<String, Long>> rowCounts,
    Map<String, Map<String, Object>> sources) {}
