package com.creditrisk;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * What a piece of work logs, at the levels the log configuration lets through, as
 * "LEVEL logger message" lines: for tests that search the log for what must never be in it.
 */
public final class LogCapture {
  private LogCapture() {}

  /** Work that may throw: the capture ends either way. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  public static String during(Work work) throws Exception {
    StringWriter logs = new StringWriter();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Appender appender = WriterAppender.newBuilder().setName("log-capture").setTarget(logs)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n").build()).build();
    appender.start();
    ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    ctx.updateLoggers();
    try {
      work.run();
    } finally {
      ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
      ctx.updateLoggers();
      appender.stop();
    }
    return logs.toString();
  }
}
