package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.Job;
import dev.tessera.api.v1alpha1.JobRun;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.Run;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The leak scan: after local mode has logged in as Alice (a password) and as Bob (a password and a
 * TOTP seed), kept their browser states and run Attempts with one-time report tokens, none of these
 * values is in a log line (the operator's, local mode's, or a runner Pod's), an Event, the status
 * of any object, a Pod's spec, a ConfigMap, or a file left behind when local mode stops. They are
 * only where they belong: Secrets.
 */
class SecretLeakIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void noCredentialStateOrTokenLeavesTheSecretsItBelongsIn() throws Exception {
    ListAppender<ILoggingEvent> logs = LocalCluster.captureLogs();
    LocalMode local = LocalCluster.startDemo();
    Map<String, String> tokens = new ConcurrentHashMap<>();
    Map<String, String> podSpecs = new ConcurrentHashMap<>();
    Map<String, String> podLogs = new LinkedHashMap<>();
    Path work = local.executor().workDirectory();
    KubernetesClient client = local.client();
    // every Attempt's token, and every Pod as it was, before anything is deleted
    Watch secrets =
        client
            .secrets()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Secret secret) {
                    if (secret.getData() != null && secret.getData().get("token") != null) {
                      tokens.put(
                          secret.getMetadata().getName(), decode(secret.getData().get("token")));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    Watch pods =
        client
            .pods()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    podSpecs.merge(
                        pod.getMetadata().getName(), json(pod.getSpec()), (a, b) -> a + b);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    Map<String, String> secretValues = new LinkedHashMap<>();
    try {
      Path root = LocalCluster.ROOT;
      for (String example :
          List.of(
              "examples/mfa/project.yaml",
              "examples/mfa/credentials-secret.yaml",
              "examples/mfa/authsession.yaml")) {
        LocalMode.apply(client, root.resolve(example), local.site().baseUrl());
      }
      // both sessions log in first (a Run on a session that is not Ready yet is refused)
      LocalCluster.awaitSession(client, "demo-alice", "Ready");
      LocalCluster.awaitSession(client, "demo-bob", "Ready");
      for (String example :
          List.of("examples/mfa/run-me.yaml", "examples/demo/run-invoices.yaml")) {
        LocalMode.apply(client, root.resolve(example), local.site().baseUrl());
      }
      assertThat(LocalCluster.awaitFinished(client, "bob-me").getStatus().getPhase())
          .isEqualTo("Succeeded");
      assertThat(LocalCluster.awaitFinished(client, "alice-invoices-page-2").getStatus().getPhase())
          .isEqualTo("Succeeded");

      secretValues.put("Alice's password", "looking-glass");
      secretValues.put("Bob's TOTP seed", "JBSWY3DPEHPK3PXP");
      secretValues.put("the local API's token", local.cluster().token());
      tokens.forEach((secret, token) -> secretValues.put("the token of " + secret, token));
      for (String session : List.of("demo-alice", "demo-bob")) {
        Secret state = client.secrets().inNamespace("default").withName(session + "-state").get();
        assertThat(state).as("the state of %s", session).isNotNull();
        for (String value : state.getData().values()) {
          JsonNode stored = parse(decode(value));
          for (JsonNode cookie : stored.path("cookies")) {
            if (cookie.path("value").asText().length() >= 8) {
              secretValues.put(
                  session + "'s cookie " + cookie.path("name").asText(),
                  cookie.path("value").asText());
            }
          }
        }
      }
      assertThat(secretValues.keySet())
          .as("cookies of both sessions were found")
          .anyMatch(k -> k.startsWith("demo-alice's cookie"))
          .anyMatch(k -> k.startsWith("demo-bob's cookie"));
      assertThat(tokens).as("report tokens were seen").isNotEmpty();

      Map<String, String> places = new LinkedHashMap<>();
      client
          .v1()
          .events()
          .inAnyNamespace()
          .list()
          .getItems()
          .forEach(e -> places.put("Event " + e.getMetadata().getName(), json(e)));
      for (Class<? extends HasMetadata> kind :
          List.of(Project.class, AuthSession.class, Run.class, Job.class, JobRun.class)) {
        for (HasMetadata object : client.resources(kind).inAnyNamespace().list().getItems()) {
          JsonNode tree = JSON.valueToTree(object);
          places.put(
              kind.getSimpleName() + " " + object.getMetadata().getName() + " status",
              tree.path("status").toString());
        }
      }
      client
          .configMaps()
          .inAnyNamespace()
          .list()
          .getItems()
          .forEach(c -> places.put("ConfigMap " + c.getMetadata().getName(), json(c)));
      podSpecs.forEach((pod, spec) -> places.put("the spec of Pod " + pod, spec));
      for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
        local
            .executor()
            .logs(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
            .ifPresent(text -> podLogs.put(pod.getMetadata().getName(), text));
      }
      assertThat(podLogs).as("runner Pods' logs were read").isNotEmpty();
      podLogs.forEach((pod, text) -> places.put("the log of Pod " + pod, text));
      places.put("the operator's and local mode's log", logLines(logs));
      assertNoneContains(places, secretValues);
    } finally {
      secrets.close();
      pods.close();
      local.close();
      logs.stop();
    }
    // nothing that local mode wrote for its Pods is left on disk
    Map<String, String> files = new LinkedHashMap<>();
    if (Files.exists(work)) {
      try (Stream<Path> left = Files.walk(work)) {
        for (Path file : left.filter(Files::isRegularFile).toList()) {
          files.put("the file " + file, Files.readString(file, StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(files.keySet()).as("files left in %s", work).isEmpty();
  }

  private static void assertNoneContains(Map<String, String> places, Map<String, String> secrets) {
    List<String> leaks = new ArrayList<>();
    places.forEach(
        (place, text) ->
            secrets.forEach(
                (what, value) -> {
                  Set<String> forms =
                      Set.of(
                          value,
                          Base64.getEncoder()
                              .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
                  if (forms.stream().anyMatch(text::contains)) {
                    leaks.add(what + " is in " + place);
                  }
                }));
    assertThat(leaks).as("secret values outside their Secrets").isEmpty();
  }

  private static String logLines(ListAppender<ILoggingEvent> logs) {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      text.append(event.getFormattedMessage()).append('\n');
      if (event.getThrowableProxy() != null) {
        text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
      event.getMDCPropertyMap().values().forEach(v -> text.append(v).append('\n'));
    }
    return text.toString();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String json(Object object) {
    try {
      return JSON.writeValueAsString(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
