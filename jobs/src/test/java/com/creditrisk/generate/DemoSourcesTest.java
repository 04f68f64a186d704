package com.creditrisk.generate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.generate.DemoDataGenerator.DemoData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's three feature sources: their columns, determinism, point in time, the signal each is
 * built to carry, and that generating them leaves the five contract tables as they were.
 */
class DemoSourcesTest {
  private static final GeneratorParams PARAMS = GeneratorParams.defaults(2000);

  private static final String SNAPSHOTS_CHECKSUM = "29038/1422102554350742857127";
  private static final String APPLICATIONS_CHECKSUM = "2463/-117085110539211036602";
  private static final String LOANS_CHECKSUM = "1775/236585331595005384756";
  private static final String REPAYMENTS_CHECKSUM = "12249/-309458526300609469079";
  private static final String LOAN_EVENTS_CHECKSUM = "112/-84877900359855010752";

  private static SparkSession spark;
  private static DemoData data;
  private static Map<String, Dataset<Row>> sources;

  @BeforeAll
  static void generateOnce() {
    spark = TestSpark.get();
    data = DemoDataGenerator.generate(spark, PARAMS);
    sources = checkpointed(data.featureSources());
  }

  @Test
  void eachSourceHasItsColumnsInOrderWithTheirTypes() {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("bureau_inquiries",
        List.of("customer_id:string", "event_time:timestamp", "kind:string", "lender_id:string", "amount:double"));
    expected.put("device_profile",
        List.of("customer_id:string", "event_time:timestamp", "os:string", "rooted:int", "apps_installed:int"));
    expected.put("declared_income", List.of("application_id:string", "declared_income:double"));
    Map<String, List<String>> actual = new LinkedHashMap<>();
    sources.forEach((name, t) -> {
      List<String> cols = new ArrayList<>();
      for (StructField f : t.schema().fields()) {
        cols.add(f.name() + ":" + f.dataType().simpleString());
      }
      actual.put(name, cols);
    });
    assertEquals(expected, actual);
  }

  @Test
  void sameParamsGiveIdenticalSourcesWhateverThePartitioning() {
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    Map<String, Dataset<Row>> a;
    Map<String, Dataset<Row>> b;
    try {
      spark.conf().set("spark.sql.shuffle.partitions", "2");
      a = checkpointed(DemoDataGenerator.generate(spark, PARAMS, 1).featureSources());
      spark.conf().set("spark.sql.shuffle.partitions", "7");
      b = checkpointed(DemoDataGenerator.generate(spark, PARAMS, 5).featureSources());
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
    for (String name : a.keySet()) {
      assertTrue(a.get(name).count() > 0, name);
      assertEquals(a.get(name).count(), b.get(name).count(), name + " rows");
      assertEquals(0, a.get(name).exceptAll(b.get(name)).count(), name + " rows only in the first run");
      assertEquals(0, b.get(name).exceptAll(a.get(name)).count(), name + " rows only in the second run");
    }
  }

  /**
   * Row counts and xxhash64 sums of the contract tables at 2,000 customers, taken from the generator
   * before it wrote sources (commit 4434738): generating them must not move a single value. The
   * partner campaign came later and only adds applications (numbers from
   * {@link DemoDataGenerator#CAMPAIGN_FIRST_APP} on) with their loans, installments and events, so the
   * customers' own rows keep these sums too.
   */
  @Test
  void theCustomersOwnContractRowsAreTheSameAsBeforeTheSourcesAndTheCampaignExisted() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("score_snapshots", SNAPSHOTS_CHECKSUM);
    expected.put("applications", APPLICATIONS_CHECKSUM);
    expected.put("loans", LOANS_CHECKSUM);
    expected.put("repayments", REPAYMENTS_CHECKSUM);
    expected.put("loan_events", LOAN_EVENTS_CHECKSUM);
    Map<String, String> actual = new LinkedHashMap<>();
    actual.put("score_snapshots", checksum(data.scoreSnapshots()));
    actual.put("applications", checksum(data.applications().filter(own("application_id"))));
    actual.put("loans", checksum(data.loans().filter(own("loan_id"))));
    actual.put("repayments", checksum(data.repayments().filter(own("loan_id"))));
    actual.put("loan_events", checksum(data.loanEvents().filter(own("loan_id"))));
    assertEquals(expected, actual);
    assertTrue(data.applications().filter(not(own("application_id"))).count() > 0, "campaign applications");
  }

  @Test
  void noEventIsDatedAfterTheExtractDateAndEachBurstPrecedesItsApplication() {
    Column afterExtract = to_date(col("event_time")).gt(lit(PARAMS.extractDate()));
    for (String name : List.of("bureau_inquiries", "device_profile")) {
      assertEquals(0, sources.get(name).filter(afterExtract).count(), name + " rows after the extract date");
    }
    // Every application of a customer with bureau events in the 60 days before it has one strictly
    // before it: the burst is generated before the application, never at it.
    long atApplication = sources.get("bureau_inquiries")
        .join(data.applications().select("customer_id", "application_time"), "customer_id")
        .filter(col("event_time").equalTo(col("application_time"))).count();
    assertEquals(0, atApplication);
    // Application-keyed: one row per application at most, each an application that exists.
    Dataset<Row> income = sources.get("declared_income");
    assertEquals(income.count(), income.select("application_id").distinct().count());
    assertEquals(0, income.join(data.applications(), new String[] {"application_id"}, "left_anti").count());
  }

  @Test
  void aboutTenBureauEventsPerApplicationAndMostApplicationsDeclareAnIncome() {
    double apps = data.applications().count();
    double events = sources.get("bureau_inquiries").count();
    // About 12 per application of the customers' own; a campaign application brings only its
    // burst (about 3), so over all applications about 10.
    assertTrue(events / apps > 8 && events / apps < 12, "bureau events per application " + events / apps);
    double declared = sources.get("declared_income").count() / apps;
    assertTrue(declared > 0.9 && declared < 0.96, "share declaring an income " + declared);
  }

  /**
   * The direction of the signal docs/generator.md describes, on mature loans: more bureau events in
   * the 90 days before the application, and a lower declared income, mean a higher bad rate.
   */
  @Test
  void moreRecentInquiriesAndALowerIncomeMeanAHigherBadRate() {
    Dataset<Row> labelled = DemoDataGeneratorTest.matureLabels(data, PARAMS.extractDate())
        .join(data.applications().select("application_id", "customer_id", "application_time"), "application_id");
    Dataset<Row> recent = labelled.join(sources.get("bureau_inquiries"), "customer_id")
        .filter(col("event_time").lt(col("application_time"))
            .and(col("event_time").geq(col("application_time").minus(expr("INTERVAL 90 DAYS")))))
        .groupBy("application_id").agg(count(lit(1)).as("events_90d"));
    Dataset<Row> withEvents = labelled.join(recent, new String[] {"application_id"}, "left")
        .withColumn("events_90d", when(col("events_90d").isNull(), 0L).otherwise(col("events_90d")));
    double[] byEvents = badRateByHalf(withEvents, "events_90d");
    assertTrue(byEvents[1] > 1.5 * byEvents[0], "bad rate, fewer vs more events in 90 days: "
        + byEvents[0] + " " + byEvents[1]);

    Dataset<Row> withIncome = labelled.join(sources.get("declared_income"), "application_id")
        .withColumn("minus_income", col("declared_income").multiply(-1));
    double[] byIncome = badRateByHalf(withIncome, "minus_income");
    assertTrue(byIncome[1] > 1.3 * byIncome[0], "bad rate, higher vs lower income: " + byIncome[0] + " " + byIncome[1]);
  }

  /** The demo command and conf/demo.conf declare the same sources, paths included. */
  @Test
  void confDemoConfDeclaresTheSourcesTheDemoDeclares() {
    CreditRiskConfig file = CreditRiskConfig.load(List.of(new java.io.File("../conf/demo.conf")), List.of());
    CreditRiskConfig demo = CreditRiskConfig.load(List.of(), DemoSources.config("demo-data"));
    assertEquals(List.of("bureau_inquiries", "declared_income", "device_profile"),
        List.copyOf(demo.featureSources().keySet()));
    assertEquals(demo.featureSources(), file.featureSources());
  }

  // ---------------------------------------------------------------------------------------------

  /** Bad rate of the lower and the upper half of the loans by {@code column}, ties broken by id. */
  private static double[] badRateByHalf(Dataset<Row> loans, String column) {
    List<Row> halves = loans.withColumn("half", ntile(2).over(Window.orderBy(col(column), col("application_id"))))
        .groupBy("half").agg(avg("bad")).orderBy("half").collectAsList();
    return new double[] {halves.get(0).getDouble(1), halves.get(1).getDouble(1)};
  }

  /** A customer's own application or loan: ids end with the application number (A/L, 7 + 2 digits). */
  private static Column own(String id) {
    return substring(col(id), 9, 2).cast("int").lt(DemoDataGenerator.CAMPAIGN_FIRST_APP);
  }

  /** The row count and the exact sum of every row's xxhash64: order-free, moved by any changed value. */
  private static String checksum(Dataset<Row> t) {
    Column[] all = java.util.Arrays.stream(t.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Row r = t.agg(count(lit(1)), sum(xxhash64(all).cast("decimal(38,0)"))).first();
    return r.getLong(0) + "/" + r.getDecimal(1).toPlainString();
  }

  private static Map<String, Dataset<Row>> checkpointed(Map<String, Dataset<Row>> in) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, v.localCheckpoint()));
    return out;
  }
}
