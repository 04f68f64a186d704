package com.creditrisk.config;

import java.util.Map;
import java.util.Optional;

/**
 * Where one input table lives and how its columns are named.
 *
 * @param path a file or folder path, or a catalog table name; empty when not set (an absent optional
 *     table, or a required one that {@link CreditRiskConfig#requireInputs()} stops on)
 * @param format storage format
 * @param columnMapping contract column name to the lender's column name (only renamed columns)
 */
public record InputSpec(Optional<String> path, InputFormat format, Map<String, String> columnMapping) {
  public InputSpec {
    columnMapping = Map.copyOf(columnMapping);
  }

  /** The lender's name for a contract column. */
  public String sourceColumn(String contractName) {
    return columnMapping.getOrDefault(contractName, contractName);
  }
}
