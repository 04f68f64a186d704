package com.creditrisk.ingest;

import com.creditrisk.contract.InputTable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input table as read, with its columns renamed to the contract's names and parsed to the
 * contract's types.
 *
 * @param table which contract table
 * @param typed the contract columns, parsed; a cell that did not parse is null here and flagged
 *     by {@code parseFailures}
 * @param malformedRow a condition true on a CSV row whose field count is not the header's
 * @param parseFailures per contract column, a condition true where a present cell did not parse
 * @param nonFinite per double column, a condition true where the parsed number is NaN or infinite
 * @param rawNull per contract column, a condition true where the source cell was null
 * @param schemaViolations missing columns and columns of a type that cannot hold the contract type
 * @param source where it was read from and its version or fingerprint, for run.json
 */
public record RawInput(
    InputTable table,
    Dataset<Row> typed,
    Column malformedRow,
    Map<String, Column> parseFailures,
    Map<String, Column> nonFinite,
    Map<String, Column> rawNull,
    List<Violation> schemaViolations,
    Map<String, Object> source) {}
