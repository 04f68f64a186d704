package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.contract.ContractDocs;
import com.creditrisk.contract.ContractRule;
import com.creditrisk.contract.InputContract;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code credit-risk contract}: the rule list from the contract's one declaration. No Spark needed. */
class ContractCommandTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CreditRisk.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  static InputContract configured() {
    CreditRiskConfig conf = new ConfigOptions().load();
    return InputContract.of(conf.scoreMin(), conf.scoreMax());
  }

  @Test
  void contractPrintsEveryDeclaredRuleAndExitsZero() {
    Run r = run("contract");
    assertEquals(0, r.code(), r.err());
    assertEquals(ContractDocs.text(configured()), r.out());
    for (ContractRule rule : configured().rules()) {
      assertTrue(r.out().contains(rule.wording()), rule.wording() + " not in:\n" + r.out());
    }
  }

  @Test
  void theScoreRuleShowsTheConfiguredRange() {
    Run r = run("contract", "--set", "score.min=300");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("score within [300, " + configured().scoreMax() + "] (score.min..score.max)"),
        r.out());
  }

  @Test
  void docsContractMdIsTheGeneratedMarkdown() throws IOException {
    Run r = run("contract", "--markdown");
    assertEquals(0, r.code(), r.err());
    assertEquals(ContractDocs.markdown(configured()), r.out());
    Path doc = repositoryRoot().resolve("docs/contract.md");
    String committed = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
    assertEquals(r.out(), committed, doc + " differs from the contract's declaration; regenerate it with: "
        + ContractDocs.REGENERATE);
  }

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("jobs/pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("jobs/pom.xml not found above " + Path.of("").toAbsolutePath());
  }
}
