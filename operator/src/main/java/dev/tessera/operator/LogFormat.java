package dev.tessera.operator;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * How the operator writes its logs: one JSON object per line, for a cluster's log collector (the
 * default), or plain lines, for a human reading {@code kubectl logs}. Each format is a logback
 * configuration in the operator's jar, with the same levels.
 */
public enum LogFormat {
  JSON("tessera-operator-logback.xml"),
  TEXT("tessera-operator-logback-text.xml");

  /** The variable that selects the format in a cluster (the chart's {@code logFormat}). */
  public static final String VARIABLE = "TESSERA_LOG_FORMAT";

  private final String operatorConfiguration;

  LogFormat(String operatorConfiguration) {
    this.operatorConfiguration = operatorConfiguration;
  }

  /** The operator's logback configuration for this format, a resource of its jar. */
  public String operatorConfiguration() {
    return operatorConfiguration;
  }

  /** {@code json} or {@code text}, in any case. */
  public static LogFormat parse(String value) {
    for (LogFormat format : values()) {
      if (format.name().equalsIgnoreCase(value.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException("the log format is json or text, not \"" + value + "\"");
  }

  /** The format {@value #VARIABLE} names; JSON when it is unset or empty. */
  public static LogFormat fromEnv(Map<String, String> env) {
    String value = env.get(VARIABLE);
    return value == null || value.isBlank() ? JSON : parse(value);
  }

  /** The name users write: {@code json} or {@code text}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Configures logback from {@code resource} on the class path, now: logback has usually read its
   * configuration already (at the first logger), so setting the property alone would come too late.
   */
  public static void configure(String resource) {
    System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, resource);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      long start = System.currentTimeMillis();
      try {
        new ContextInitializer(context).autoConfig();
      } catch (JoranException e) {
        throw new IllegalStateException("logback could not read " + resource, e);
      }
      // a configuration logback cannot read leaves every logger silent
      if (new StatusUtil(context).getHighestLevel(start) >= Status.ERROR) {
        throw new IllegalStateException("logback could not read " + resource);
      }
    }
  }
}
