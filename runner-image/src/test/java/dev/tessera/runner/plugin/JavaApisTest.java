package dev.tessera.runner.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tessera.runner.spi.ApiContext;
import dev.tessera.runner.spi.BrowserApi;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaApisTest {
  @TempDir Path dir;

  private final JavaApis apis = new JavaApis(getClass().getClassLoader());

  /** A valid API. */
  public static class Hello implements BrowserApi {
    @Override
    public JsonNode run(ApiContext context) {
      return TextNode.valueOf("hello");
    }
  }

  /** Not an API. */
  public static class NotAnApi {}

  /** An API that cannot be created without arguments. */
  public static class NeedsArgs implements BrowserApi {
    public NeedsArgs(String arg) {}

    @Override
    public JsonNode run(ApiContext context) {
      return null;
    }
  }

  @Test
  void createsANewInstancePerCall() throws Exception {
    BrowserApi first = apis.instantiate(Hello.class.getName());
    BrowserApi second = apis.instantiate(Hello.class.getName());

    assertThat(first).isInstanceOf(Hello.class).isNotSameAs(second);
    assertThat(first.run(null)).isEqualTo(TextNode.valueOf("hello"));
  }

  @Test
  void refusesWhatIsNotALoadableApi() {
    assertThatThrownBy(() -> apis.instantiate("com.example.Missing"))
        .hasMessage(
            "class com.example.Missing is not on the runner's classpath or in its plugin directory");
    assertThatThrownBy(() -> apis.instantiate(NotAnApi.class.getName()))
        .hasMessageContaining("does not implement dev.tessera.runner.spi.BrowserApi");
    assertThatThrownBy(() -> apis.instantiate(NeedsArgs.class.getName()))
        .hasMessageContaining("has no public no-argument constructor");
  }

  @Test
  void thePluginDirectoryIsAClassFolderFollowedByItsJars() throws Exception {
    Files.createFile(dir.resolve("b.jar"));
    Files.createFile(dir.resolve("a.jar"));
    Files.createFile(dir.resolve("notes.txt"));

    URL[] urls = JavaApis.urls(dir);

    assertThat(urls)
        .extracting(URL::getPath)
        .containsExactly(
            dir.toUri().getPath(),
            dir.resolve("a.jar").toUri().getPath(),
            dir.resolve("b.jar").toUri().getPath());
  }
}
