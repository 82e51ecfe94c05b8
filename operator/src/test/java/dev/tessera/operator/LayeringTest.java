package dev.tessera.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import dev.tessera.api.v1alpha1.AuthSession;
import dev.tessera.api.v1alpha1.AuthSessionStatus;
import dev.tessera.operator.layeringfixture.ops.OpsLeases;
import dev.tessera.operator.layeringfixture.run.ClientGate;
import dev.tessera.operator.layeringfixture.run.NestedClientProgress;
import dev.tessera.operator.layeringfixture.run.PureAdmission;
import dev.tessera.operator.layeringfixture.run.RunUsesSession;
import dev.tessera.operator.layeringfixture.run.RunWrites;
import dev.tessera.operator.layeringfixture.session.SessionLock;
import dev.tessera.operator.layeringfixture.session.SessionUsesRun;
import dev.tessera.operator.layeringfixture.session.SessionWrites;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's layering. The {@code @ArchTest} fields check the main classes of {@value #ROOT};
 * the {@code @Test} methods check the same rules, built by {@link Rules} for the root {@value
 * #FIXTURES}, against fixtures in the test sources: each rule is shown to fail on a violation and
 * to pass on what it allows.
 */
@AnalyzeClasses(packages = LayeringTest.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
  static final String ROOT = "dev.tessera.operator";
  static final String FIXTURES = "dev.tessera.operator.layeringfixture";

  // (a) run may depend on session, never the other way; no cycles between top-level packages
  @ArchTest
  static final ArchRule SESSION_DOES_NOT_DEPEND_ON_RUN = Rules.sessionDoesNotDependOnRun(ROOT);

  @ArchTest
  static final ArchRule TOP_LEVEL_PACKAGES_ARE_FREE_OF_CYCLES =
      Rules.topLevelPackagesAreFreeOfCycles(ROOT);

  // (b) only the session package writes a session's status, lock and state
  @ArchTest
  static final ArchRule ONLY_SESSION_WRITES_SESSION_STATUS =
      Rules.onlySessionWritesSessionStatus(ROOT);

  @ArchTest
  static final ArchRule ONLY_SESSION_TAKES_SESSION_LOCK = Rules.onlySessionTakesSessionLock(ROOT);

  @ArchTest
  static final ArchRule ONLY_SESSION_STORES_SESSION_STATE =
      Rules.onlySessionStoresSessionState(ROOT);

  // (c) decisions do not call the cluster
  @ArchTest
  static final ArchRule DECISIONS_DO_NOT_USE_THE_CLIENT = Rules.decisionsDoNotUseTheClient(ROOT);

  /** The rules, for the operator's root package or for the fixtures' root. */
  static final class Rules {
    private Rules() {}

    static final Set<String> LOCK_METHODS = Set.of("tryAcquire", "release");
    static final Pattern DECISION_NAME = Pattern.compile(".+(Progress|Admission|Gate|Validation)");

    static ArchRule sessionDoesNotDependOnRun(String root) {
      return noClasses()
          .that()
          .resideInAPackage(root + ".session..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(root + ".run..")
          .because(
              "a Run uses its session (the run package may depend on session), but the session"
                  + " package must not reach back into run: otherwise run and session form a"
                  + " cycle and neither can change, be tested or be moved on its own");
    }

    static ArchRule topLevelPackagesAreFreeOfCycles(String root) {
      return slices()
          .matching(root + ".(*)..")
          .namingSlices("$1")
          .should()
          .beFreeOfCycles()
          .because(
              "the operator's top-level packages should form layers: a cycle between two packages"
                  + " means neither can be understood, tested or moved without the other");
    }

    static ArchRule onlySessionWritesSessionStatus(String root) {
      return outsideSession(root)
          .should()
          .accessTargetWhere(
              methodWhere(
                  "AuthSession.setStatus(..) or AuthSessionStatus.set*(..)",
                  t ->
                      (t.getOwner().isAssignableTo(AuthSession.class)
                              && t.getName().equals("setStatus"))
                          || (t.getOwner().isAssignableTo(AuthSessionStatus.class)
                              && t.getName().startsWith("set"))))
          .because(
              "an AuthSession's status (phase, reason, conditions, lock holder, observed versions)"
                  + " is written only by the session package, so that a session's state machine"
                  + " lives in one place and a Run cannot put a session into a state its"
                  + " reconciler does not know about");
    }

    static ArchRule onlySessionTakesSessionLock(String root) {
      return outsideSession(root)
          .should()
          .accessTargetWhere(
              methodWhere(
                  "KubernetesClient.leases() (or a subtype's), SessionLock.tryAcquire(..) or"
                      + " SessionLock.release(..)",
                  t ->
                      (t.getOwner().isAssignableTo(KubernetesClient.class)
                              && t.getName().equals("leases"))
                          || (t.getOwner().getSimpleName().equals("SessionLock")
                              && LOCK_METHODS.contains(t.getName()))))
          .because(
              "a session's lock (a coordination.k8s.io Lease per AuthSession) is taken, renewed"
                  + " and given up only by the session package, which owns the session's state"
                  + " machine; the operator's own leader-election Lease is taken by the Java"
                  + " Operator SDK, not by our code, and the ops package is exempt");
    }

    static ArchRule onlySessionStoresSessionState(String root) {
      return outsideSession(root)
          .should()
          .accessTargetWhere(
              methodWhere(
                  "SessionSecrets.storeState(..)",
                  t ->
                      t.getOwner().getSimpleName().equals("SessionSecrets")
                          && t.getName().equals("storeState")))
          .because(
              "a session's browser state (its storage-state Secret) is stored only by the session"
                  + " package, which decides when a state replaces the one the session has");
    }

    static ArchRule decisionsDoNotUseTheClient(String root) {
      return noClasses()
          .that()
          .resideInAPackage(root + "..")
          .and(decisionClasses())
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.fabric8.kubernetes.client..")
          .because(
              "decision classes compute what to do from what was read, and nothing else: reading"
                  + " and writing the cluster is the job of the reconcilers that call them, so a"
                  + " decision can be tested without an API server");
    }

    /** Main classes under {@code root}, except the session package and the ops package. */
    private static GivenClassesConjunction outsideSession(String root) {
      return noClasses()
          .that()
          .resideInAPackage(root + "..")
          .and()
          .resideOutsideOfPackages(root + ".session..", root + ".ops..");
    }

    /** A call of, or a reference to, a method whose target matches. */
    private static DescribedPredicate<JavaAccess<?>> methodWhere(
        String description, Predicate<AccessTarget> target) {
      return DescribedPredicate.describe(
          description,
          access ->
              (access.getTarget() instanceof AccessTarget.MethodCallTarget
                      || access.getTarget() instanceof AccessTarget.MethodReferenceTarget)
                  && target.test(access.getTarget()));
    }

    /**
     * Classes whose top-level class's simple name ends in Progress, Admission, Gate or Validation
     * (their nested, local and anonymous classes included).
     */
    private static DescribedPredicate<JavaClass> decisionClasses() {
      return DescribedPredicate.describe(
          "are pure decision classes (named *Progress, *Admission, *Gate or *Validation, with"
              + " their nested classes)",
          c -> DECISION_NAME.matcher(topLevel(c).getSimpleName()).matches());
    }

    private static JavaClass topLevel(JavaClass c) {
      JavaClass top = c;
      while (top.getEnclosingClass().isPresent()) {
        top = top.getEnclosingClass().get();
      }
      return top;
    }
  }

  // ---- the rules can fail: fixtures in dev.tessera.operator.layeringfixture (test sources) ----

  private static JavaClasses fixtures(Class<?>... classes) {
    return new ClassFileImporter().importClasses(classes);
  }

  private static void assertViolation(ArchRule rule, JavaClasses classes, String... expected) {
    assertThatThrownBy(() -> rule.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("was violated")
        .hasMessageContainingAll(expected);
  }

  private static void assertNoViolation(ArchRule rule, JavaClasses classes) {
    assertThat(rule.evaluate(classes).getFailureReport().getDetails()).isEmpty();
  }

  @Test
  void sessionDependingOnRunIsReported() {
    assertViolation(
        Rules.sessionDoesNotDependOnRun(FIXTURES),
        fixtures(SessionUsesRun.class, RunUsesSession.class),
        SessionUsesRun.class.getName(),
        RunUsesSession.class.getName());
  }

  @Test
  void cycleBetweenTopLevelPackagesIsReported() {
    assertViolation(
        Rules.topLevelPackagesAreFreeOfCycles(FIXTURES),
        fixtures(SessionUsesRun.class, RunUsesSession.class, SessionLock.class),
        "Cycle detected: run -> ");
  }

  @Test
  void runDependingOnSessionIsAllowed() {
    JavaClasses classes = fixtures(RunUsesSession.class, SessionLock.class);
    assertNoViolation(Rules.sessionDoesNotDependOnRun(FIXTURES), classes);
    assertNoViolation(Rules.topLevelPackagesAreFreeOfCycles(FIXTURES), classes);
  }

  @ParameterizedTest
  @ValueSource(classes = {RunWrites.SetsSessionStatus.class, RunWrites.SetsSessionPhase.class})
  void sessionStatusWrittenOutsideSessionIsReported(Class<?> fixture) {
    assertViolation(
        Rules.onlySessionWritesSessionStatus(FIXTURES), fixtures(fixture), fixture.getName());
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        RunWrites.CallsLeases.class,
        RunWrites.CallsLeasesOfNamespacedClient.class,
        RunWrites.ReferencesLeases.class,
        RunWrites.AcquiresLock.class,
        RunWrites.ReleasesLock.class
      })
  void sessionLockTakenOutsideSessionIsReported(Class<?> fixture) {
    assertViolation(
        Rules.onlySessionTakesSessionLock(FIXTURES), fixtures(fixture), fixture.getName());
  }

  @Test
  void sessionStateStoredOutsideSessionIsReported() {
    assertViolation(
        Rules.onlySessionStoresSessionState(FIXTURES),
        fixtures(RunWrites.StoresState.class),
        RunWrites.StoresState.class.getName(),
        "storeState");
  }

  @Test
  void sessionWritesInSessionOpsLeasesAndReadsElsewhereAreAllowed() {
    JavaClasses classes =
        fixtures(
            SessionWrites.class,
            OpsLeases.class,
            RunWrites.ReadsSessionPhase.class,
            RunWrites.ReadsLockHolder.class);
    assertNoViolation(Rules.onlySessionWritesSessionStatus(FIXTURES), classes);
    assertNoViolation(Rules.onlySessionTakesSessionLock(FIXTURES), classes);
    assertNoViolation(Rules.onlySessionStoresSessionState(FIXTURES), classes);
  }

  @ParameterizedTest
  @ValueSource(classes = {ClientGate.class, NestedClientProgress.Input.class})
  void decisionUsingTheClientIsReported(Class<?> fixture) {
    assertViolation(
        Rules.decisionsDoNotUseTheClient(FIXTURES),
        fixtures(fixture),
        fixture.getName(),
        "io.fabric8.kubernetes.client.KubernetesClient");
  }

  @Test
  void pureDecisionsAndClientUsingNonDecisionsAreAllowed() {
    assertNoViolation(
        Rules.decisionsDoNotUseTheClient(FIXTURES),
        fixtures(PureAdmission.class, RunWrites.CallsLeases.class));
  }
}
