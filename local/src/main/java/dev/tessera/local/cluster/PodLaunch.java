package dev.tessera.local.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a Pod becomes a local process: its command line, its environment and the files of its
 * volumes, all under the Pod's own directory. Plain values in and out (the Secrets and ConfigMaps
 * come through {@link References}), no process and no file written here.
 *
 * <p>A local process cannot see {@code /var/run/...} mounts, so every environment variable and
 * argument that starts with a volume mount path is rewritten to the directory that holds the
 * volume's files, and the container's {@code terminationMessagePath} to the Pod's termination log.
 */
final class PodLaunch {
  /** Name of the container log in the Pod's directory. */
  static final String LOG = "container.log";

  /** Name of the termination log in the Pod's directory. */
  static final String TERMINATION_LOG = "termination-log";

  /** Name of the directory of the Pod's volumes in the Pod's directory. */
  static final String VOLUMES = "volumes";

  /** Name of the process's home directory in the Pod's directory. */
  static final String HOME = "home";

  /** Environment variable that tells the process where its termination log is. */
  static final String TERMINATION_LOG_ENV = "TESSERA_TERMINATION_LOG";

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([-._a-zA-Z0-9]+)\\)");
  private static final Pattern LABEL_FIELD =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
  private static final String DEFAULT_TERMINATION_PATH = "/dev/termination-log";

  private PodLaunch() {}

  /** Reads the Secrets and ConfigMaps a Pod refers to; {@code null} when one does not exist. */
  interface References {
    Secret secret(String namespace, String name);

    ConfigMap configMap(String namespace, String name);
  }

  /**
   * Everything needed to start the process of a Pod.
   *
   * @param volumes the volume directories to create, with their files
   */
  record Plan(
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      List<VolumeFiles> volumes,
      Path log,
      Path terminationLog) {}

  /**
   * One volume's directory and files.
   *
   * @param files relative path to content and POSIX mode (e.g. {@code 0400})
   * @param readOnly whether the directory is made read-only once written (Secret, ConfigMap and
   *     downward API volumes)
   * @param existing whether the directory is a host path used as is (nothing is written there)
   */
  record VolumeFiles(
      String name,
      Path directory,
      Map<String, FileContent> files,
      boolean readOnly,
      boolean existing) {}

  /** The bytes and mode of a file of a volume. */
  record FileContent(byte[] content, int mode) {}

  /**
   * Why a Pod cannot start (yet).
   *
   * @param reason the container's waiting reason ({@code CreateContainerConfigError}, {@code
   *     ContainerCreating}...)
   * @param retriable whether a later attempt may succeed (a Secret that does not exist yet)
   */
  static final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final boolean retriable;

    LaunchException(String reason, String message, boolean retriable) {
      super(message);
      this.reason = reason;
      this.retriable = retriable;
    }

    String reason() {
      return reason;
    }

    boolean retriable() {
      return retriable;
    }
  }

  /**
   * Plans the launch of a Pod.
   *
   * @param baseEnvironment the environment every process gets before the image's and the Pod's
   * @param nodeName what {@code spec.nodeName} resolves to for a Pod that has none
   */
  static Plan plan(
      Pod pod,
      LocalImage image,
      Path podDirectory,
      References references,
      Map<String, String> baseEnvironment,
      String nodeName)
      throws LaunchException {
    List<Container> containers = pod.getSpec().getContainers();
    if (containers.size() != 1
        || (pod.getSpec().getInitContainers() != null
            && !pod.getSpec().getInitContainers().isEmpty())) {
      throw new LaunchException(
          "CreateContainerConfigError",
          "the local executor runs Pods with exactly one container and no init containers",
          false);
    }
    Container container = containers.get(0);
    String namespace = pod.getMetadata().getNamespace();
    Path terminationLog = podDirectory.resolve(TERMINATION_LOG);

    Map<String, VolumeFiles> volumes = new LinkedHashMap<>();
    for (Volume volume : nullToEmpty(pod.getSpec().getVolumes())) {
      volumes.put(
          volume.getName(),
          volume(
              volume,
              pod,
              podDirectory.resolve(VOLUMES).resolve(volume.getName()),
              references,
              nodeName));
    }
    List<Map.Entry<String, Path>> mounts = new ArrayList<>();
    for (VolumeMount mount : nullToEmpty(container.getVolumeMounts())) {
      VolumeFiles volume = volumes.get(mount.getName());
      if (volume == null) {
        throw new LaunchException(
            "CreateContainerConfigError",
            "volume mount \"" + mount.getName() + "\" names no volume of the Pod",
            false);
      }
      Path local =
          mount.getSubPath() == null || mount.getSubPath().isEmpty()
              ? volume.directory()
              : volume.directory().resolve(mount.getSubPath());
      mounts.add(Map.entry(trimSlash(mount.getMountPath()), local));
    }
    mounts.sort(
        Comparator.comparingInt((Map.Entry<String, Path> m) -> m.getKey().length()).reversed());
    String terminationPath =
        container.getTerminationMessagePath() != null
            ? container.getTerminationMessagePath()
            : DEFAULT_TERMINATION_PATH;
    Rewriter rewriter = new Rewriter(mounts, terminationPath, terminationLog);

    Map<String, String> defined = new LinkedHashMap<>();
    for (EnvFromSource source : nullToEmpty(container.getEnvFrom())) {
      String prefix = source.getPrefix() == null ? "" : source.getPrefix();
      if (source.getSecretRef() != null) {
        Secret secret = references.secret(namespace, source.getSecretRef().getName());
        if (secret == null) {
          if (!Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
            throw missing("secret", source.getSecretRef().getName());
          }
        } else {
          decoded(secret).forEach((k, v) -> defined.put(prefix + k, v));
        }
      }
      if (source.getConfigMapRef() != null) {
        ConfigMap configMap = references.configMap(namespace, source.getConfigMapRef().getName());
        if (configMap == null) {
          if (!Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
            throw missing("configmap", source.getConfigMapRef().getName());
          }
        } else if (configMap.getData() != null) {
          configMap.getData().forEach((k, v) -> defined.put(prefix + k, v));
        }
      }
    }
    for (EnvVar variable : nullToEmpty(container.getEnv())) {
      String value = value(variable, pod, references, defined, nodeName);
      if (value != null) {
        defined.put(variable.getName(), value);
      }
    }

    Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
    environment.put("HOME", podDirectory.resolve(HOME).toString());
    environment.put("HOSTNAME", pod.getMetadata().getName());
    environment.putAll(image.environment());
    defined.forEach((name, value) -> environment.put(name, rewriter.rewrite(value)));
    environment.put(TERMINATION_LOG_ENV, terminationLog.toString());

    // Only what comes from the Pod is rewritten: the image's entrypoint is already a local
    // command, whose paths may well lie under a mount path (a checkout in /tmp, say).
    List<String> command;
    try {
      command =
          image.commandLine(
              rewriteArguments(expandAll(container.getCommand(), defined), rewriter),
              rewriteArguments(expandAll(container.getArgs(), defined), rewriter));
    } catch (IllegalArgumentException e) {
      throw new LaunchException("CreateContainerConfigError", e.getMessage(), false);
    }
    List<String> rewritten = command;

    Path workingDirectory =
        image.workingDirectory() != null ? image.workingDirectory() : podDirectory;
    if (container.getWorkingDir() != null) {
      String local = rewriter.rewrite(container.getWorkingDir());
      if (!local.equals(container.getWorkingDir())) {
        workingDirectory = Path.of(local);
      }
    }
    return new Plan(
        List.copyOf(rewritten),
        environment,
        workingDirectory,
        List.copyOf(volumes.values()),
        podDirectory.resolve(LOG),
        terminationLog);
  }

  private static VolumeFiles volume(
      Volume volume, Pod pod, Path directory, References references, String nodeName)
      throws LaunchException {
    String namespace = pod.getMetadata().getNamespace();
    if (volume.getSecret() != null) {
      var source = volume.getSecret();
      Secret secret = references.secret(namespace, source.getSecretName());
      if (secret == null) {
        if (Boolean.TRUE.equals(source.getOptional())) {
          return new VolumeFiles(volume.getName(), directory, Map.of(), true, false);
        }
        throw new LaunchException(
            "ContainerCreating",
            "MountVolume.SetUp failed for volume \""
                + volume.getName()
                + "\": secret \""
                + source.getSecretName()
                + "\" not found",
            true);
      }
      Map<String, byte[]> data = new LinkedHashMap<>();
      if (secret.getData() != null) {
        secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
      }
      if (secret.getStringData() != null) {
        secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      return new VolumeFiles(
          volume.getName(),
          directory,
          files(
              volume.getName(),
              "secret",
              data,
              source.getItems(),
              source.getDefaultMode(),
              source.getOptional()),
          true,
          false);
    }
    if (volume.getConfigMap() != null) {
      var source = volume.getConfigMap();
      ConfigMap configMap = references.configMap(namespace, source.getName());
      if (configMap == null) {
        if (Boolean.TRUE.equals(source.getOptional())) {
          return new VolumeFiles(volume.getName(), directory, Map.of(), true, false);
        }
        throw new LaunchException(
            "ContainerCreating",
            "MountVolume.SetUp failed for volume \""
                + volume.getName()
                + "\": configmap \""
                + source.getName()
                + "\" not found",
            true);
      }
      Map<String, byte[]> data = new LinkedHashMap<>();
      if (configMap.getData() != null) {
        configMap.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
      }
      if (configMap.getBinaryData() != null) {
        configMap.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
      }
      return new VolumeFiles(
          volume.getName(),
          directory,
          files(
              volume.getName(),
              "configmap",
              data,
              source.getItems(),
              source.getDefaultMode(),
              source.getOptional()),
          true,
          false);
    }
    if (volume.getEmptyDir() != null) {
      return new VolumeFiles(volume.getName(), directory, Map.of(), false, false);
    }
    if (volume.getHostPath() != null) {
      return new VolumeFiles(
          volume.getName(), Path.of(volume.getHostPath().getPath()), Map.of(), false, true);
    }
    if (volume.getDownwardAPI() != null) {
      Map<String, FileContent> files = new LinkedHashMap<>();
      Integer defaultMode = volume.getDownwardAPI().getDefaultMode();
      for (DownwardAPIVolumeFile item : nullToEmpty(volume.getDownwardAPI().getItems())) {
        if (item.getFieldRef() == null) {
          throw new LaunchException(
              "CreateContainerConfigError",
              "volume \"" + volume.getName() + "\": only fieldRef items are supported locally",
              false);
        }
        String value = field(item.getFieldRef(), pod, nodeName);
        files.put(
            item.getPath(),
            new FileContent(
                value.getBytes(StandardCharsets.UTF_8),
                localMode(item.getMode() != null ? item.getMode() : defaultMode)));
      }
      return new VolumeFiles(volume.getName(), directory, files, true, false);
    }
    throw new LaunchException(
        "CreateContainerConfigError",
        "volume \""
            + volume.getName()
            + "\": the local executor supports secret, configMap, emptyDir, hostPath and"
            + " downwardAPI volumes only",
        false);
  }

  private static Map<String, FileContent> files(
      String volume,
      String kind,
      Map<String, byte[]> data,
      List<KeyToPath> items,
      Integer defaultMode,
      Boolean optional)
      throws LaunchException {
    Map<String, FileContent> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.forEach(
          (key, content) -> files.put(key, new FileContent(content, localMode(defaultMode))));
      return files;
    }
    for (KeyToPath item : items) {
      byte[] content = data.get(item.getKey());
      if (content == null) {
        if (Boolean.TRUE.equals(optional)) {
          continue;
        }
        throw new LaunchException(
            "ContainerCreating",
            "MountVolume.SetUp failed for volume \""
                + volume
                + "\": "
                + kind
                + " has no key \""
                + item.getKey()
                + "\"",
            true);
      }
      files.put(
          item.getPath(),
          new FileContent(
              content, localMode(item.getMode() != null ? item.getMode() : defaultMode)));
    }
    return files;
  }

  /**
   * The mode of a volume file on this machine: the owner's bits of the requested mode (the local
   * process runs as the current user), always readable by the owner, never by anyone else.
   */
  static int localMode(Integer requested) {
    int mode = requested == null ? 0644 : requested;
    return (mode & 0700) | 0400;
  }

  private static String value(
      EnvVar variable, Pod pod, References references, Map<String, String> defined, String nodeName)
      throws LaunchException {
    if (variable.getValueFrom() == null) {
      return variable.getValue() == null ? "" : expand(variable.getValue(), defined);
    }
    var from = variable.getValueFrom();
    String namespace = pod.getMetadata().getNamespace();
    if (from.getSecretKeyRef() != null) {
      SecretKeySelector ref = from.getSecretKeyRef();
      Secret secret = references.secret(namespace, ref.getName());
      String value = secret == null ? null : decoded(secret).get(ref.getKey());
      if (value == null) {
        if (Boolean.TRUE.equals(ref.getOptional())) {
          return null;
        }
        throw secret == null
            ? missing("secret", ref.getName())
            : new LaunchException(
                "CreateContainerConfigError",
                "couldn't find key "
                    + ref.getKey()
                    + " in Secret "
                    + namespace
                    + "/"
                    + ref.getName(),
                true);
      }
      return value;
    }
    if (from.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = from.getConfigMapKeyRef();
      ConfigMap configMap = references.configMap(namespace, ref.getName());
      String value =
          configMap == null || configMap.getData() == null
              ? null
              : configMap.getData().get(ref.getKey());
      if (value == null) {
        if (Boolean.TRUE.equals(ref.getOptional())) {
          return null;
        }
        throw configMap == null
            ? missing("configmap", ref.getName())
            : new LaunchException(
                "CreateContainerConfigError",
                "couldn't find key "
                    + ref.getKey()
                    + " in ConfigMap "
                    + namespace
                    + "/"
                    + ref.getName(),
                true);
      }
      return value;
    }
    if (from.getFieldRef() != null) {
      return field(from.getFieldRef(), pod, nodeName);
    }
    throw new LaunchException(
        "CreateContainerConfigError",
        "env " + variable.getName() + ": the local executor does not support resourceFieldRef",
        false);
  }

  /** The value of a downward API field ({@code metadata.name}, {@code status.podIP}...). */
  static String field(ObjectFieldSelector selector, Pod pod, String nodeName)
      throws LaunchException {
    String path = selector.getFieldPath();
    var metadata = pod.getMetadata();
    switch (path) {
      case "metadata.name" -> {
        return metadata.getName();
      }
      case "metadata.namespace" -> {
        return metadata.getNamespace();
      }
      case "metadata.uid" -> {
        return metadata.getUid();
      }
      case "spec.nodeName" -> {
        return pod.getSpec().getNodeName() != null ? pod.getSpec().getNodeName() : nodeName;
      }
      case "spec.serviceAccountName" -> {
        return Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "default");
      }
      case "status.podIP", "status.hostIP", "status.podIPs", "status.hostIPs" -> {
        return "127.0.0.1";
      }
      default -> {}
    }
    Matcher label = LABEL_FIELD.matcher(path);
    if (label.matches()) {
      Map<String, String> values =
          label.group(1).equals("labels") ? metadata.getLabels() : metadata.getAnnotations();
      return values == null ? "" : values.getOrDefault(label.group(2), "");
    }
    throw new LaunchException("CreateContainerConfigError", "unsupported fieldRef: " + path, false);
  }

  /** Expands {@code $(NAME)} references to variables defined before, as the kubelet does. */
  static String expand(String value, Map<String, String> defined) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      if (matcher.group().equals("$$")) {
        replacement = "$";
      } else {
        String name = matcher.group(1);
        replacement = defined.containsKey(name) ? defined.get(name) : matcher.group();
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private static List<String> expandAll(List<String> values, Map<String, String> defined) {
    if (values == null) {
      return null;
    }
    return values.stream().map(v -> expand(v, defined)).toList();
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private static LaunchException missing(String kind, String name) {
    return new LaunchException(
        "CreateContainerConfigError", kind + " \"" + name + "\" not found", true);
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** Rewrites container paths (mount paths, the termination message path) to local ones. */
  private record Rewriter(
      List<Map.Entry<String, Path>> mounts, String terminationPath, Path terminationLog) {

    String rewrite(String value) {
      if (value.equals(terminationPath)) {
        return terminationLog.toString();
      }
      for (Map.Entry<String, Path> mount : mounts) {
        String mountPath = mount.getKey();
        if (mountPath.equals("/")) {
          continue;
        }
        if (value.equals(mountPath)) {
          return mount.getValue().toString();
        }
        if (value.startsWith(mountPath + "/")) {
          return mount.getValue() + value.substring(mountPath.length());
        }
      }
      return value;
    }

    /** Also rewrites the value of {@code --flag=/path} arguments. */
    String rewriteArgument(String argument) {
      String whole = rewrite(argument);
      if (!whole.equals(argument)) {
        return whole;
      }
      int eq = argument.indexOf('=');
      if (eq > 0) {
        String value = argument.substring(eq + 1);
        String local = rewrite(value);
        if (!local.equals(value)) {
          return argument.substring(0, eq + 1) + local;
        }
      }
      return argument;
    }
  }

  private static List<String> rewriteArguments(List<String> arguments, Rewriter rewriter) {
    if (arguments == null) {
      return null;
    }
    List<String> rewritten = new ArrayList<>(arguments.size());
    for (String argument : arguments) {
      rewritten.add(rewriter.rewriteArgument(argument));
    }
    return rewritten;
  }
}
