package dev.tessera.runner.plugin;

import dev.tessera.runner.spi.BrowserApi;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and instantiates APIs written in Java: classes implementing {@link BrowserApi} on the
 * runner's classpath or in its plugin directory (the directory itself as a class folder, and every
 * {@code .jar} directly in it).
 */
public final class JavaApis {
  private final ClassLoader loader;

  public JavaApis(ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * APIs from the runner's own classpath ({@code parent}) plus the plugin directory, when it is
   * given and exists.
   */
  public static JavaApis withPlugins(Path pluginDir, ClassLoader parent) throws IOException {
    if (pluginDir == null || !Files.isDirectory(pluginDir)) {
      return new JavaApis(parent);
    }
    return new JavaApis(new URLClassLoader(urls(pluginDir), parent));
  }

  /** The class folder and the jars of a plugin directory, jars in name order. */
  static URL[] urls(Path pluginDir) throws IOException {
    List<URL> urls = new ArrayList<>();
    urls.add(url(pluginDir));
    try (Stream<Path> files = Files.list(pluginDir)) {
      for (Path jar :
          files
              .filter(f -> f.getFileName().toString().endsWith(".jar"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList()) {
        urls.add(url(jar));
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static URL url(Path path) throws MalformedURLException {
    return path.toAbsolutePath().toUri().toURL();
  }

  /**
   * A new instance of the named class.
   *
   * @throws ApiClassException when the class is missing, is not a {@link BrowserApi}, or cannot be
   *     instantiated with its no-argument constructor
   */
  public BrowserApi instantiate(String className) throws ApiClassException {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ApiClassException(
          "class " + className + " is not on the runner's classpath or in its plugin directory");
    }
    if (!BrowserApi.class.isAssignableFrom(type)) {
      throw new ApiClassException(
          "class " + className + " does not implement " + BrowserApi.class.getName());
    }
    try {
      return (BrowserApi) type.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new ApiClassException("class " + className + " has no public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new ApiClassException(
          "the constructor of " + className + " threw " + e.getCause().getClass().getSimpleName());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ApiClassException(
          "class " + className + " cannot be instantiated: " + e.getClass().getSimpleName());
    }
  }

  /** A Java API could not be found or created. */
  public static final class ApiClassException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApiClassException(String message) {
      super(message);
    }
  }
}
