package dev.tessera.local.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a Pod's container image into a local command, since local mode runs containers as local
 * processes. The usual mapping points the runner image at the runner jar:
 *
 * <pre>{@code
 * ImageResolver images = ImageResolver.builder()
 *     .map("ghcr.io/tessera-dev/tessera-runner*", LocalImage.of("java", "-jar", runnerJar))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface ImageResolver {

  /** The local stand-in of an image, or empty when this machine cannot run it. */
  Optional<LocalImage> resolve(String image);

  /** A resolver from image patterns, tried in the order they were added. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Whether an image reference matches a pattern. {@code *} matches any characters; a pattern
   * without a tag or digest matches every tag and digest of the repository ({@code busybox-like}
   * matches {@code busybox-like:1.0}).
   */
  static boolean matches(String pattern, String image) {
    if (image == null) {
      return false;
    }
    Pattern regex = Pattern.compile(globToRegex(pattern));
    return regex.matcher(image).matches() || regex.matcher(repository(image)).matches();
  }

  private static String repository(String image) {
    int digest = image.indexOf('@');
    String name = digest >= 0 ? image.substring(0, digest) : image;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
  }

  private static String globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return regex.toString();
  }

  /** Collects image patterns and their local stand-ins. */
  final class Builder {
    private final List<Map.Entry<String, LocalImage>> mappings = new ArrayList<>();

    private Builder() {}

    public Builder map(String imagePattern, LocalImage image) {
      mappings.add(Map.entry(imagePattern, image));
      return this;
    }

    public ImageResolver build() {
      List<Map.Entry<String, LocalImage>> copy = List.copyOf(mappings);
      return image ->
          copy.stream()
              .filter(mapping -> matches(mapping.getKey(), image))
              .map(Map.Entry::getValue)
              .findFirst();
    }
  }
}
