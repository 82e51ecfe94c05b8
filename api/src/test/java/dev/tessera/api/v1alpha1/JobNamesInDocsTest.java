package dev.tessera.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get jobs} lists batch Jobs: every kubectl command in the docs, the examples, the
 * chart's notes and the messages the code prints names Tessera's Jobs as {@code tjob} or {@code
 * jobs.tessera.dev}.
 */
class JobNamesInDocsTest {
  /** A kubectl command, up to what ends it on its line: a pipe, a separator, a quote, a comment. */
  private static final Pattern COMMAND = Pattern.compile("\\bkubectl\\b([^|;&`\"'#)\\n]*)");

  /**
   * Resource arguments that do not name Tessera's Jobs: {@code job} and {@code jobs} are batch/v1,
   * and {@code tjobs} is no name kubectl knows (it does not make short names plural).
   */
  private static final Pattern AMBIGUOUS = Pattern.compile("(?:jobs?|tjobs)(?:/\\S*)?");

  @Test
  void everyKubectlCommandNamesTesseraJobsUnambiguously() throws IOException {
    Path root = CrdFiles.repositoryRoot();
    List<String> found = new ArrayList<>();
    for (Path file : textFiles(root)) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (isAmbiguous(lines.get(i))) {
          found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
        }
      }
    }
    assertThat(found)
        .as(
            "kubectl commands that name batch Jobs where Tessera's are meant: use tjob or"
                + " jobs.tessera.dev")
        .isEmpty();
  }

  @Test
  void theCheckTellsTesseraJobsFromBatchJobs() {
    assertThat(isAmbiguous("kubectl -n team-a get jobs")).isTrue();
    assertThat(isAmbiguous("kubectl describe job alice-invoices-daily")).isTrue();
    assertThat(isAmbiguous("  kubectl delete job/alice-invoices-daily")).isTrue();
    assertThat(isAmbiguous("kubectl get tjobs -w")).isTrue();
    assertThat(isAmbiguous("\"then run: kubectl get jobs\"")).isTrue();
    assertThat(isAmbiguous("kubectl get tjob")).isFalse();
    assertThat(isAmbiguous("kubectl -n team-a describe tjob alice-invoices-daily")).isFalse();
    assertThat(isAmbiguous("kubectl get jobs.tessera.dev -o wide")).isFalse();
    assertThat(isAmbiguous("kubectl get jobruns   # the Job's runs")).isFalse();
    assertThat(isAmbiguous("kubectl get runs -l tessera.dev/job=daily")).isFalse();
    // sentences about the built-in kind
    assertThat(isAmbiguous("`kubectl get jobs` means the built-in `batch` Jobs")).isFalse();
    assertThat(isAmbiguous("(like `kubectl create job --from=cronjob/...`)")).isFalse();
  }

  static boolean isAmbiguous(String line) {
    String lower = line.toLowerCase(Locale.ROOT);
    if (lower.contains("batch") || lower.contains("cronjob")) {
      return false;
    }
    Matcher command = COMMAND.matcher(line);
    while (command.find()) {
      for (String word : command.group(1).trim().split("\\s+")) {
        if (AMBIGUOUS.matcher(word).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /** What users read: README, docs, examples, the chart's notes, scripts and main sources. */
  private static List<Path> textFiles(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    files.add(root.resolve("helm/tessera/templates/NOTES.txt"));
    files.add(root.resolve("helm/tessera/values.yaml"));
    for (String dir : List.of("docs", "examples", "scripts", "runner-image")) {
      files.addAll(walk(root.resolve(dir)));
    }
    for (String module : List.of("api", "operator", "local", "runner-image")) {
      files.addAll(walk(root.resolve(module).resolve("src/main")));
    }
    return files.stream().distinct().toList();
  }

  private static List<Path> walk(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/src/test/"))
          .filter(
              p ->
                  p.toString()
                      .matches(".*\\.(md|ya?ml|txt|java|py|sh)$|.*/scripts/[^/.]+$|.*Dockerfile$"))
          .toList();
    }
  }
}
