package com.creditrisk.io;

import com.creditrisk.config.CreditRiskConfig;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/** Builds the job's SparkSession from the config; never hard-codes a master over spark-submit's. */
public final class SparkSessions {
  private SparkSessions() {}

  /** The session of a command that reads or writes the warehouse's Delta tables: with Delta Lake. */
  public static SparkSession getOrCreate(CreditRiskConfig conf) {
    return getOrCreate(conf, true);
  }

  /**
   * The session of a command whose only tables are the given inputs and plain files it writes
   * (bin, validate --scores): with Delta Lake only when {@link #readsDelta} says an input needs it.
   * Delta's session extension and catalog cost a small command a few seconds of start-up (their
   * classes, DeltaSQLConf, the analyzer rules) and nothing else there uses them.
   */
  public static SparkSession getOrCreateForInputs(CreditRiskConfig conf, TableInput... inputs) {
    boolean delta = false;
    for (TableInput in : inputs) {
      delta |= readsDelta(in);
    }
    return getOrCreate(conf, delta);
  }

  /**
   * Whether a session built now would run on a local master: spark-submit gave none (its
   * SparkConf, from the system properties) and the config's spark.master (or a spark.conf entry
   * naming one) is local or local[...]. A command may then do small work in the JVM alone.
   */
  public static boolean localMaster(CreditRiskConfig conf) {
    if (submitted().containsKey("spark.master")) {
      return false;
    }
    String master = settings(conf, false, false, "").get("spark.master");
    return master.equals("local") || master.startsWith("local[");
  }

  /**
   * The Hadoop settings a local session would write files with, without a session: the defaults
   * and site files on the class path, the spark.hadoop.* entries of the system properties and of
   * the config's spark.conf, and the umask.
   */
  public static org.apache.hadoop.conf.Configuration hadoopConf(CreditRiskConfig conf) {
    org.apache.hadoop.conf.Configuration h = new org.apache.hadoop.conf.Configuration();
    sparkSettings(conf).forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        h.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    Umask.apply(h, Umask.effective(conf));
    return h;
  }

  /**
   * The spark.* settings a session built now would be given beyond this class's own: the system
   * properties (spark-submit's), then the config's spark.conf, which wins.
   */
  public static Map<String, String> sparkSettings(CreditRiskConfig conf) {
    Map<String, String> all = new LinkedHashMap<>();
    all.putAll(submitted());
    all.putAll(conf.sparkConf());
    return all;
  }

  /**
   * The spark.* system properties, which is what a new SparkConf loads (spark-submit passes its
   * settings so): read directly, because loading SparkConf and Scala's collections costs a
   * command that starts no Spark about half a second.
   */
  private static Map<String, String> submitted() {
    Map<String, String> m = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.")).sorted()
        .forEach(k -> m.put(k, System.getProperty(k)));
    return m;
  }

  /** A table a command reads: its path (null when the option was not given) and its --format (null: detect). */
  public record TableInput(String path, String format) {}

  /** A URI scheme other than a one-letter drive: a path on another file system. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  /**
   * Whether reading this input needs a session with Delta Lake: --format delta, or no --format and
   * a folder holding {@value #DELTA_LOG} (what format detection then reads as delta). A path on
   * another file system than the local one cannot be looked at before the session (its
   * credentials are in the session's Hadoop settings), so it gets Delta too: only the start-up is
   * lost. A missing local path needs nothing; reading it fails as before.
   */
  public static boolean readsDelta(TableInput in) {
    if (in.path() == null) {
      return false;
    }
    if (in.format() != null) {
      return in.format().toLowerCase(Locale.ROOT).equals("delta");
    }
    String path = in.path();
    if (path.startsWith("file:")) {
      path = java.net.URI.create(path).getPath();
    } else if (SCHEME.matcher(path).find()) {
      return true;
    }
    return Files.isDirectory(java.nio.file.Path.of(path, DELTA_LOG));
  }

  /** The folder of a Delta table's transaction log. */
  public static final String DELTA_LOG = "_delta_log";

  private static SparkSession getOrCreate(CreditRiskConfig conf, boolean delta) {
    String umask = Umask.effective(conf);
    SparkSession.Builder b = SparkSession.builder().appName(conf.appName());
    for (var e : settings(conf, new SparkConf().contains("spark.master"), delta, umask).entrySet()) {
      b = b.config(e.getKey(), e.getValue());
    }
    SparkSession spark = b.getOrCreate();
    spark.conf().set("spark.sql.session.timeZone", conf.sessionTimeZone());
    // Again on a session that already existed (demo, tests), whose configuration and file system
    // were made before this config was read.
    Umask.follow(spark, conf.warehousePath(), umask);
    installProgressLog(spark.sparkContext());
    return spark;
  }

  /**
   * The settings a new session is built with, in order (a later key wins): a local master and no UI
   * unless spark-submit gave a master, Delta's extension and catalog when {@code delta}, the
   * session time zone, the Hadoop umask, then the config's spark.conf entries.
   */
  static Map<String, String> settings(CreditRiskConfig conf, boolean masterGiven, boolean delta, String umask) {
    Map<String, String> s = new LinkedHashMap<>();
    if (!masterGiven) {
      s.put("spark.master", conf.sparkMaster().orElse("local[*]"));
      // A local run has no cluster UI to look at and nothing else bound to loopback.
      s.put("spark.ui.enabled", "false");
    }
    if (delta) {
      s.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
      s.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    s.put("spark.sql.session.timeZone", conf.sessionTimeZone());
    s.put("spark.hadoop." + Umask.HADOOP_KEY, umask);
    s.putAll(conf.sparkConf());
    return s;
  }

  private static SparkContext progressContext;

  /** One progress log per SparkContext (tests and demo build the session more than once). */
  private static synchronized void installProgressLog(SparkContext sc) {
    if (progressContext != sc) {
      ProgressLog.install(sc, PROGRESS_INTERVAL_SECONDS);
      progressContext = sc;
    }
  }

  /** Long enough that a quick step says nothing, short enough that a long one is never silent. */
  static final long PROGRESS_INTERVAL_SECONDS = 20;
}
