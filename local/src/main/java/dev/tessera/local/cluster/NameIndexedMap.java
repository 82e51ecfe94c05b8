package dev.tessera.local.cluster;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.Value;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The object map of one of fabric8's CRUD stores, indexed by object name.
 *
 * <p>The mock finds the object a request names by comparing the request with every object of the
 * store ({@code map.entrySet().stream().filter(...)}): a read or write of one Run went through
 * every Run stored. While a request that names one object is served ({@link #narrowedTo}), this map
 * shows the mock only the entries of objects with that name; the mock's own comparison then picks
 * among those exactly as before (namespace, kind, version), so what it finds is what a full scan
 * finds. Lists and watches, which name no object, see every entry.
 *
 * <p>The store writes and reads the map under its own read-write lock, so the index needs no lock
 * of its own: readers share it while no writer changes it.
 */
final class NameIndexedMap extends LinkedHashMap<AttributeSet, String> {
  private static final long serialVersionUID = 1L;

  /** The mock's attribute of an object's name. */
  static final String NAME = "name";

  /** The name the request being served on this thread is about; null: every entry. */
  private static final ThreadLocal<String> NARROWED = new ThreadLocal<>();

  /** The keys of the entries of each name, in insertion order. */
  private final transient Map<String, Set<AttributeSet>> byName = new HashMap<>();

  /**
   * Runs {@code work} (one request to a store) with the store's entries narrowed to the objects
   * named {@code name}: the request must name that object, so that every entry it could match has
   * that name.
   */
  static <T> T narrowedTo(String name, Supplier<T> work) {
    String outer = NARROWED.get();
    NARROWED.set(name);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        NARROWED.remove();
      } else {
        NARROWED.set(outer);
      }
    }
  }

  @Override
  public String put(AttributeSet key, String value) {
    String previous = super.put(key, value);
    String name = nameOf(key);
    if (name != null) {
      byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(key);
    }
    return previous;
  }

  @Override
  public void putAll(Map<? extends AttributeSet, ? extends String> entries) {
    entries.forEach(this::put);
  }

  @Override
  public String putIfAbsent(AttributeSet key, String value) {
    String current = get(key);
    return current != null ? current : put(key, value);
  }

  @Override
  public String remove(Object key) {
    if (!containsKey(key)) {
      return null;
    }
    String name = nameOf((AttributeSet) key);
    if (name != null) {
      Set<AttributeSet> keys = byName.get(name);
      if (keys != null) {
        keys.remove(key);
        if (keys.isEmpty()) {
          byName.remove(name);
        }
      }
    }
    return super.remove(key);
  }

  @Override
  public boolean remove(Object key, Object value) {
    if (containsKey(key) && Objects.equals(get(key), value)) {
      remove(key);
      return true;
    }
    return false;
  }

  // the store never adds through these; were it to, the index would miss what they add
  @Override
  public String compute(
      AttributeSet key, BiFunction<? super AttributeSet, ? super String, ? extends String> f) {
    throw new UnsupportedOperationException("the indexed store adds through put");
  }

  @Override
  public String computeIfAbsent(
      AttributeSet key, Function<? super AttributeSet, ? extends String> f) {
    throw new UnsupportedOperationException("the indexed store adds through put");
  }

  @Override
  public String merge(
      AttributeSet key,
      String value,
      BiFunction<? super String, ? super String, ? extends String> f) {
    throw new UnsupportedOperationException("the indexed store adds through put");
  }

  @Override
  public void clear() {
    byName.clear();
    super.clear();
  }

  /**
   * Every entry, or, while a request about one name is served on this thread, the entries of that
   * name only. Read-only: the store changes the map through {@link #put} and {@link #remove}.
   */
  @Override
  public Set<Map.Entry<AttributeSet, String>> entrySet() {
    String name = NARROWED.get();
    if (name == null) {
      return Collections.unmodifiableSet(super.entrySet());
    }
    Set<AttributeSet> keys = byName.get(name);
    if (keys == null) {
      return Set.of();
    }
    Set<Map.Entry<AttributeSet, String>> entries = new LinkedHashSet<>();
    for (AttributeSet key : keys) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(key, get(key)));
    }
    return Collections.unmodifiableSet(entries);
  }

  @Override
  public Set<AttributeSet> keySet() {
    return Collections.unmodifiableSet(super.keySet());
  }

  @Override
  public Collection<String> values() {
    return Collections.unmodifiableCollection(super.values());
  }

  /** How many names are indexed (tests). */
  int indexedNames() {
    return byName.size();
  }

  private static String nameOf(AttributeSet key) {
    Attribute name = key.getAttribute(NAME);
    if (name == null || name.getValues().size() != 1) {
      return null;
    }
    Value value = name.getValues().get(0);
    return value == null ? null : value.toString();
  }
}
