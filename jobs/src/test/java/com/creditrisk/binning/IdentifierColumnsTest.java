package com.creditrisk.binning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The identifier rule at its edges, and the "other" bin of a model saved before it, without Spark. */
class IdentifierColumnsTest {

  @Test
  void nearUniqueMeansAtLeastNinetyPercentDistinctAndMoreThanFifty() {
    assertTrue(IdentifierColumns.nearUnique(90, 100), "exactly 90%");
    assertFalse(IdentifierColumns.nearUnique(89, 100), "just under 90%");
    assertTrue(IdentifierColumns.nearUnique(51, 56), "51 of 56: 91%, more than 50");
    assertFalse(IdentifierColumns.nearUnique(50, 50), "all distinct but only 50: a small table's categories");
    assertTrue(IdentifierColumns.nearUnique(1_728, 1_728));
  }

  @Test
  void contractKeyColumnsAreMatchedByNameCaseAside() {
    assertTrue(IdentifierColumns.isKeyColumn("customer_id"));
    assertTrue(IdentifierColumns.isKeyColumn("LOAN_ID"));
    assertFalse(IdentifierColumns.isKeyColumn("product"));
  }

  @Test
  void aSavedModelThatNamedItsOtherMembersIsReadWithTheirCountOnly() {
    String old = "{\"unlabeled_rows\": 0, \"bins\": [{\"feature\": \"product\", \"index\": 0, \"kind\": \"other\", "
        + "\"label\": \"other\", \"lower\": null, \"upper\": null, \"levels\": [\"secret-1\", \"secret-2\"], "
        + "\"special_value\": null, \"count\": 2, \"goods\": 1, \"bads\": 1, \"bad_rate\": 0.5, \"woe\": 0.0, "
        + "\"iv\": 0.0}]}";
    WoeBin other = WoeBinsJson.read(old).bins().get(0);
    assertEquals(List.of(), other.levels());
    assertEquals(2, other.levelCount());
    assertFalse(WoeBinsJson.write(List.of(other), 0).contains("secret-"));
  }
}
