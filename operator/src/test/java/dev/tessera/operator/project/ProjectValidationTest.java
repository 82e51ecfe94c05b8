package dev.tessera.operator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tessera.api.template.Templates;
import dev.tessera.api.v1alpha1.Project;
import dev.tessera.api.v1alpha1.ProjectSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectValidationTest {
  private static List<String> problems(String yaml) throws Exception {
    return ProjectValidation.problems(new YAMLMapper().readValue(yaml, ProjectSpec.class));
  }

  @Test
  void everyExampleProjectIsValid() throws Exception {
    Path examples = Path.of("").toAbsolutePath().getParent().resolve("examples");
    try (var files = Files.walk(examples)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().equals("project.yaml")).toList()) {
        Project project = new YAMLMapper().readValue(file.toFile(), Project.class);
        assertThat(ProjectValidation.problems(project.getSpec())).as("%s", file).isEmpty();
      }
    }
  }

  @Test
  void stepWithTwoActionsCannotBeReadAndTheErrorNamesItsPlace() {
    assertThatThrownBy(
            () ->
                problems(
                    "apis: {a: {steps: [{goto: 'http://x'}, {goto: 'http://y', click: {selector: b}}]}}"))
        .hasMessageContaining("a step has exactly one action")
        .hasMessageContaining("this one has [goto, click]")
        .hasMessageContaining("[\"steps\"]->java.util.ArrayList[1]");
  }

  @Test
  void apiReadingCredentialsIsRefusedButCreateMayReadThem() throws Exception {
    assertThat(
            problems(
                """
                apis: {a: {steps: [{fill: {selector: '#p', value: '$(credentials.password)'}}]}}
                authentication:
                  enabled: true
                  create: {steps: [{fill: {selector: '#p', value: '$(credentials.password)'}}]}
                  check: {steps: [{request: {url: 'http://x/me'}}]}
                """))
        .singleElement()
        .asString()
        .startsWith("spec.apis.a.steps[0] reads $(credentials...)");
  }

  @Test
  void everyTemplateReferenceIsCheckedNamingTheStepAndTheForms() throws Exception {
    assertThat(
            problems(
                """
                apis:
                  a:
                    steps:
                      - goto: 'http://x/$(params.page)'
                      - name: read me
                        request:
                          url: 'http://x/api/me'
                          headers: {Authorization: 'Bearer $(secrets.token)'}
                      - fill: {selector: '#q', value: '$(localStorage.token)'}
                      - request: {url: 'http://x/api/me', body: '$(sessionStorage.token)'}
                      - extract: {as: x, selector: 'td.$(params.q'}
                      - request: {url: 'http://x/api?t=$(localStorage.token)&c=$(cookies.sid)'}
                """))
        .containsExactly(
            "spec.apis.a.steps[1] (read me).request.headers.Authorization: unknown reference"
                + " $(secrets.token): use "
                + Templates.FORMS,
            "spec.apis.a.steps[2].fill.value: $(localStorage.token) reads the browser's state,"
                + " which only the url, headers and body of a request step may do",
            "spec.apis.a.steps[3].request.body: $(sessionStorage.token): a session's stored"
                + " state holds cookies and localStorage, not sessionStorage; read the value from"
                + " localStorage or a cookie",
            "spec.apis.a.steps[4].extract.selector: malformed reference in template"
                + " td.$(params.q: a reference is $( a name without spaces or"
                + " parentheses ), one of "
                + Templates.FORMS
                + "; write $$( for a literal $(");
  }

  @Test
  void onlyTheCreateStepsMayDeclareARejectionOfTheCredentials() throws Exception {
    String outcomes =
        "[{waitFor: {anyOf: [{selector: '#welcome'}, {selector: '#error', then:"
            + " RejectCredentials}]}}]";
    assertThat(
            problems(
                "apis: {a: {steps: "
                    + outcomes
                    + "}}\nauthentication:\n  enabled: true\n  create: {steps: "
                    + outcomes
                    + "}\n  check: {steps: [{request: {url: 'http://x/me'}}]}"))
        .containsExactly(
            "spec.apis.a.steps[0].waitFor.anyOf: then: RejectCredentials belongs in"
                + " spec.authentication.create's steps, the only login that can be rejected; use"
                + " then: Fail here");
  }

  @Test
  void enabledAuthenticationNeedsCheckAndCreate() throws Exception {
    assertThat(problems("apis: {a: {className: A}}\nauthentication: {enabled: true}")).hasSize(2);
  }

  @Test
  void invalidParametersSchemaAndMissingImplementationAreReported() throws Exception {
    assertThat(problems("apis: {a: {parametersSchema: {type: 12}}}"))
        .anySatisfy(p -> assertThat(p).contains("set exactly one of steps or className"));
    assertThat(problems("apis: {}"))
        .containsExactly("spec.apis is empty: a project needs at least one API");
  }

  @Test
  void aParametersSchemaThatIsNotJsonSchemaMakesTheProjectInvalid() throws Exception {
    String steps = "steps: [{goto: 'https://example.test'}]";
    for (String schema :
        new String[] {"{type: 12}", "{type: nonsense}", "5", "{properties: {page: 3}}"}) {
      assertThat(problems("apis: {a: {" + steps + ", parametersSchema: " + schema + "}}"))
          .as(schema)
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p)
                      .startsWith("spec.apis.a.parametersSchema is not valid JSON Schema"));
    }
    assertThat(
            problems(
                "apis: {a: {"
                    + steps
                    + ", parametersSchema: {type: object, required: [page], properties: {page:"
                    + " {type: integer, minimum: 1}}}}}"))
        .isEmpty();
  }

  @Test
  void fileAndJavascriptUrlsMakeTheProjectInvalidNamingTheStep() throws Exception {
    assertThat(
            problems(
                """
                apis:
                  list:
                    steps:
                    - goto: file:///etc/passwd
                    - request: {url: ' JavaScript:fetch(1)'}
                    - goto: $(params.baseUrl)/list
                    - request: {url: 'https://example.test/$(params.page)'}
                    - goto: about:blank
                  local:
                    steps: [{goto: 'data:text/html,hi'}, {goto: 'fi\tle:$(params.path)'}]
                  relative:
                    steps: [{goto: /list}]
                authentication:
                  enabled: true
                  check: {steps: [{request: {url: 'http://x/me'}}]}
                  recorder: {startUrl: 'ftp://x/login'}
                """))
        .containsExactly(
            "spec.apis.list.steps[0].goto: only http and https URLs are allowed, not \"file:\"",
            "spec.apis.list.steps[1].request.url: only http and https URLs are allowed, not"
                + " \"javascript:\"",
            "spec.apis.local.steps[0].goto: only http and https URLs are allowed, not \"data:\"",
            "spec.apis.local.steps[1].goto: only http and https URLs are allowed, not \"file:\"",
            "spec.apis.relative.steps[0].goto: only absolute http and https URLs are allowed",
            "spec.authentication.recorder.startUrl: only http and https URLs are allowed, not"
                + " \"ftp:\"");
  }

  @Test
  void blockedNetworksMustBeCidrs() throws Exception {
    String api = "apis: {a: {steps: [{goto: 'https://example.test'}]}}\n";
    assertThat(problems(api + "runner: {blockedNetworks: [10.0.0.0/8, 'fd00::/8']}")).isEmpty();
    assertThat(problems(api + "runner: {blockedNetworks: [10.0.0.0/8, 10.0.0.0, '10.0.0.0/33']}"))
        .containsExactly(
            "spec.runner.blockedNetworks[1]: \"10.0.0.0\" is not a CIDR such as 10.0.0.0/8 or"
                + " fd00::/8",
            "spec.runner.blockedNetworks[2]: \"10.0.0.0/33\" is not a CIDR such as 10.0.0.0/8 or"
                + " fd00::/8");
  }
}
