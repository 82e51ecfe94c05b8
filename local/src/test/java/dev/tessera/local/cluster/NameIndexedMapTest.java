package dev.tessera.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NameIndexedMapTest {
  private final NameIndexedMap map = new NameIndexedMap();

  @Test
  void aRequestAboutOneNameSeesTheEntriesOfThatNameOnly() {
    map.put(key("a", "x"), "ax");
    map.put(key("b", "x"), "bx");
    map.put(key("a", "y"), "ay");

    assertThat(NameIndexedMap.narrowedTo("x", map::entrySet))
        .extracting(Map.Entry::getValue)
        .containsExactly("ax", "bx");
    assertThat(NameIndexedMap.narrowedTo("w", map::entrySet)).isEmpty();
    // outside a request about one name, and after it, every entry
    assertThat(map.entrySet()).hasSize(3);

    map.remove(key("a", "x"));
    assertThat(NameIndexedMap.narrowedTo("x", map::entrySet))
        .extracting(Map.Entry::getValue)
        .containsExactly("bx");
    map.remove(key("b", "x"));
    assertThat(map.indexedNames()).isEqualTo(1);
    map.clear();
    assertThat(map.indexedNames()).isZero();
  }

  @Test
  void aNestedRequestKeepsItsOwnNameAndTheOuterOneComesBack() {
    map.put(key("a", "x"), "ax");
    map.put(key("a", "y"), "ay");
    NameIndexedMap.narrowedTo(
        "x",
        () -> {
          assertThat(NameIndexedMap.narrowedTo("y", map::entrySet))
              .extracting(Map.Entry::getValue)
              .containsExactly("ay");
          assertThat(map.entrySet()).extracting(Map.Entry::getValue).containsExactly("ax");
          return null;
        });
  }

  @Test
  void theViewsCannotChangeTheMapBehindTheIndex() {
    map.put(key("a", "x"), "ax");
    assertThatThrownBy(() -> map.entrySet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.keySet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.computeIfAbsent(key("a", "z"), k -> "az"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static AttributeSet key(String namespace, String name) {
    return new AttributeSet(
        new Attribute("plural", "configmaps"),
        new Attribute("namespace", namespace),
        new Attribute(NameIndexedMap.NAME, name));
  }
}
