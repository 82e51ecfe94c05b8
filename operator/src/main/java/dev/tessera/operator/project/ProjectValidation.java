package dev.tessera.operator.project;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tessera.api.protocol.Cidr;
import dev.tessera.api.protocol.StepUrls;
import dev.tessera.api.template.Templates;
import dev.tessera.api.v1alpha1.ApiDefinition;
import dev.tessera.api.v1alpha1.AuthenticationSpec;
import dev.tessera.api.v1alpha1.ProjectSpec;
import dev.tessera.api.v1alpha1.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What is wrong with a project, as messages that say where and how to fix it. It repeats the CRD's
 * rules (an API server enforces them, the embedded API of local mode does not) and adds what no
 * schema can say: a parametersSchema that is not JSON Schema, an API that reads credentials, which
 * reach only the create API, or a step URL that is not http or https ({@link StepUrls}: judged on
 * the literal start of a template; the runner checks the rendered URL). A pure function.
 */
public final class ProjectValidation {
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  /**
   * The draft 2020-12 meta-schema (bundled with the validator, never fetched): a parametersSchema
   * must satisfy it, since the validator itself accepts almost any JSON as a schema.
   */
  private static final Schema META_SCHEMA =
      SCHEMAS.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

  private ProjectValidation() {}

  /** The problems of a project; empty when it is valid. */
  public static List<String> problems(ProjectSpec project) {
    List<String> problems = new ArrayList<>();
    if (project.getApis() == null || project.getApis().isEmpty()) {
      problems.add("spec.apis is empty: a project needs at least one API");
    } else {
      for (Map.Entry<String, ApiDefinition> api : new TreeMap<>(project.getApis()).entrySet()) {
        check("spec.apis." + api.getKey(), api.getValue(), false, problems);
      }
    }
    AuthenticationSpec auth = project.getAuthentication();
    if (auth != null && Boolean.TRUE.equals(auth.getEnabled())) {
      if (auth.getCheck() == null) {
        problems.add("spec.authentication.check is required when authentication is enabled");
      }
      if (auth.getCreate() == null && auth.getRecorder() == null) {
        problems.add(
            "spec.authentication needs create (automated login) or recorder (a human logs in)"
                + " when authentication is enabled");
      }
    }
    if (auth != null) {
      if (auth.getCreate() != null) {
        check("spec.authentication.create", auth.getCreate(), true, problems);
      }
      if (auth.getCheck() != null) {
        check("spec.authentication.check", auth.getCheck(), false, problems);
      }
      if (auth.getRecorder() != null) {
        url("spec.authentication.recorder.startUrl", auth.getRecorder().getStartUrl(), problems);
      }
    }
    if (project.getRunner() != null && project.getRunner().getBlockedNetworks() != null) {
      List<String> networks = project.getRunner().getBlockedNetworks();
      for (int i = 0; i < networks.size(); i++) {
        try {
          Cidr.parse(networks.get(i));
        } catch (IllegalArgumentException e) {
          problems.add("spec.runner.blockedNetworks[" + i + "]: " + e.getMessage());
        }
      }
    }
    return problems;
  }

  private static void check(
      String path, ApiDefinition api, boolean mayReadCredentials, List<String> problems) {
    boolean hasSteps = api.getSteps() != null;
    boolean hasClass = api.getClassName() != null;
    if (hasSteps == hasClass) {
      problems.add(path + ": set exactly one of steps or className");
    }
    if (hasSteps) {
      for (int i = 0; i < api.getSteps().size(); i++) {
        check(path + ".steps[" + i + "]", api.getSteps().get(i), mayReadCredentials, problems);
      }
    }
    if (api.getParametersSchema() != null && !api.getParametersSchema().isNull()) {
      try {
        List<String> errors =
            META_SCHEMA.validate(api.getParametersSchema()).stream()
                .map(e -> "at " + e.getInstanceLocation() + ": " + e.getMessage())
                .sorted()
                .toList();
        if (!errors.isEmpty()) {
          problems.add(
              path
                  + ".parametersSchema is not valid JSON Schema (draft 2020-12): "
                  + String.join("; ", errors));
        } else {
          SCHEMAS.getSchema(api.getParametersSchema());
        }
      } catch (RuntimeException e) {
        problems.add(path + ".parametersSchema is not valid JSON Schema: " + e.getMessage());
      }
    }
  }

  private static void check(
      String path, Step step, boolean mayReadCredentials, List<String> problems) {
    long actions =
        Stream.of(
                step.getGoTo(),
                step.getFill(),
                step.getClick(),
                step.getPress(),
                step.getSelect(),
                step.getWaitFor(),
                step.getExpect(),
                step.getExtract(),
                step.getRequest(),
                step.getScreenshot())
            .filter(a -> a != null)
            .count();
    if (actions != 1) {
      problems.add(
          path
              + " has "
              + actions
              + " actions: a step has exactly one of goto, fill, click, press, select, waitFor,"
              + " expect, extract, request, screenshot");
    }
    url(path + ".goto", step.getGoTo(), problems);
    if (step.getRequest() != null) {
      url(path + ".request.url", step.getRequest().getUrl(), problems);
    }
    if (!mayReadCredentials && readsCredentials(step)) {
      problems.add(
          path
              + " reads $(credentials...): credentials reach only the create API; pass values an"
              + " API needs as parameters");
    }
  }

  private static void url(String path, String url, List<String> problems) {
    StepUrls.templateProblem(url).ifPresent(problem -> problems.add(path + ": " + problem));
  }

  private static boolean readsCredentials(Step step) {
    return values(step).stream().anyMatch(Templates::readsCredentials);
  }

  /**
   * The credential keys an API's declarative steps read; empty for a Java API, whose needs the
   * operator cannot see.
   */
  public static Set<String> credentialKeys(ApiDefinition api) {
    Set<String> keys = new TreeSet<>();
    if (api != null && api.getSteps() != null) {
      api.getSteps()
          .forEach(step -> values(step).forEach(v -> keys.addAll(Templates.credentialKeys(v))));
    }
    return keys;
  }

  private static List<String> values(Step step) {
    List<String> values = new ArrayList<>();
    values.add(step.getGoTo());
    if (step.getFill() != null) {
      values.add(step.getFill().getValue());
    }
    if (step.getSelect() != null) {
      values.add(step.getSelect().getValue());
    }
    if (step.getRequest() != null) {
      values.add(step.getRequest().getUrl());
      values.add(step.getRequest().getBody());
      if (step.getRequest().getHeaders() != null) {
        values.addAll(step.getRequest().getHeaders().values());
      }
    }
    return values;
  }
}
