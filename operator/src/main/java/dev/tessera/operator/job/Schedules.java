package dev.tessera.operator.job;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** A Job's cron schedule (five fields, as CronJob's), in its time zone. */
public final class Schedules {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ExecutionTime execution;
  private final ZoneId zone;

  private Schedules(ExecutionTime execution, ZoneId zone) {
    this.execution = execution;
    this.zone = zone;
  }

  /**
   * Parses a schedule.
   *
   * @throws IllegalArgumentException with a message that says what is wrong
   */
  public static Schedules of(String cron, String timeZone) {
    ZoneId zone;
    try {
      zone = timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "timeZone \"" + timeZone + "\" is not an IANA time zone (such as Europe/Paris)");
    }
    try {
      return new Schedules(ExecutionTime.forCron(PARSER.parse(cron.trim())), zone);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "schedule \"" + cron + "\" is not a five-field cron expression: " + e.getMessage());
    }
  }

  /** The first time of the schedule strictly after {@code after}. */
  public Optional<Instant> next(Instant after) {
    return execution
        .nextExecution(ZonedDateTime.ofInstant(after, zone))
        .map(ZonedDateTime::toInstant);
  }

  /**
   * The latest time of the schedule in {@code (after, now]}: the one a JobRun is due for, however
   * many were missed (no storm after downtime).
   */
  public Optional<Instant> latestDue(Instant after, Instant now) {
    Optional<Instant> last =
        execution
            .lastExecution(ZonedDateTime.ofInstant(now.plusMillis(1), zone))
            .map(ZonedDateTime::toInstant);
    return last.filter(t -> t.isAfter(after) && !t.isAfter(now));
  }
}
