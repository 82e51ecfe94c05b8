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
import dev.tessera.api.v1alpha1.step.Action;
import dev.tessera.api.v1alpha1.step.Click;
import dev.tessera.api.v1alpha1.step.Expect;
import dev.tessera.api.v1alpha1.step.Extract;
import dev.tessera.api.v1alpha1.step.Fill;
import dev.tessera.api.v1alpha1.step.Goto;
import dev.tessera.api.v1alpha1.step.Outcome;
import dev.tessera.api.v1alpha1.step.Press;
import dev.tessera.api.v1alpha1.step.Request;
import dev.tessera.api.v1alpha1.step.Screenshot;
import dev.tessera.api.v1alpha1.step.Select;
import dev.tessera.api.v1alpha1.step.Step;
import dev.tessera.api.v1alpha1.step.TemplatedFields;
import dev.tessera.api.v1alpha1.step.WaitFor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
      problems.add("spec.apis is empty: " + ProjectSpec.NEEDS_AN_API);
    } else {
      for (Map.Entry<String, ApiDefinition> api : new TreeMap<>(project.getApis()).entrySet()) {
        check("spec.apis." + api.getKey(), api.getValue(), false, problems);
      }
    }
    AuthenticationSpec auth = project.getAuthentication();
    if (auth != null && Boolean.TRUE.equals(auth.getEnabled())) {
      if (auth.getCheck() == null) {
        problems.add("spec.authentication." + AuthenticationSpec.NEEDS_CHECK);
      }
      if (auth.getCreate() == null && auth.getRecorder() == null) {
        problems.add(
            "spec.authentication: "
                + AuthenticationSpec.NEEDS_LOGIN
                + " (create logs in with steps or Java, recorder lets a human log in)");
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
      problems.add(path + ": " + ApiDefinition.ONE_KIND);
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
    String at = path + (step.name() == null ? "" : " (" + step.name() + ")");
    step.action()
        .accept(URLS)
        .ifPresent(url -> url(path + "." + url.field(), url.value(), problems));
    boolean request = step.action() instanceof Request;
    for (TemplatedFields.Field field : TemplatedFields.of(step.action())) {
      Templates.problem(field.value(), request)
          .ifPresent(problem -> problems.add(at + "." + field.path() + ": " + problem));
    }
    if (!mayReadCredentials && readsCredentials(step)) {
      problems.add(
          at
              + " reads $(credentials...): credentials reach only the create API; pass values an"
              + " API needs as parameters");
    }
    if (!mayReadCredentials
        && step.action() instanceof WaitFor wait
        && wait.anyOf() != null
        && wait.anyOf().stream()
            .anyMatch(o -> o.thenOrDefault() == Outcome.Then.RejectCredentials)) {
      problems.add(
          at
              + ".waitFor.anyOf: then: RejectCredentials belongs in spec.authentication.create's"
              + " steps, the only login that can be rejected; use then: Fail here");
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

  /** The values of every templated field of a step. */
  private static List<String> values(Step step) {
    return TemplatedFields.of(step.action()).stream().map(TemplatedFields.Field::value).toList();
  }

  /** A field of an action and its value as written. */
  private record Written(String field, String value) {}

  /** The URL of an action that navigates or requests: it must be http or https. */
  private static final Action.Visitor<Optional<Written>, RuntimeException> URLS =
      new Action.Visitor<>() {
        @Override
        public Optional<Written> visit(Goto action) {
          return Optional.of(new Written("goto", action.url()));
        }

        @Override
        public Optional<Written> visit(Fill action) {
          return Optional.empty();
        }

        @Override
        public Optional<Written> visit(Click action) {
          return Optional.empty();
        }

        @Override
        public Optional<Written> visit(Press action) {
          return Optional.empty();
        }

        @Override
        public Optional<Written> visit(Select action) {
          return Optional.empty();
        }

        @Override
        public Optional<Written> visit(WaitFor action) {
          return Optional.empty();
        }

        @Override
        public Optional<Written> visit(Expect action) {
          return Optional.empty();
        }

        @Override
        public Optional<Written> visit(Extract action) {
          return Optional.empty();
        }

        @Override
        public Optional<Written> visit(Request action) {
          return Optional.of(new Written("request.url", action.url()));
        }

        @Override
        public Optional<Written> visit(Screenshot action) {
          return Optional.empty();
        }
      };
}
