package dev.tessera.operator.session;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What was last read of each object from the API, with the object's resourceVersion then: read
 * again only when a cache shows another version. An object's content cannot change without its
 * resourceVersion changing, so while the cache shows the version read, the read still holds; a
 * cache that shows another version (or the object gone, or come) makes the next look read the API
 * again. Writes of the object by this process forget what was read, so the look after a write never
 * trusts a cache that has not caught up with it.
 *
 * <p>The session controller reads each session's lock and state this way at every look (every
 * {@code sessions.secretRecheckSeconds} at least): a session that nothing changes costs no read.
 *
 * @param <T> what is kept of an object
 */
final class ReadSinceVersion<T> {
  /** What a read found: the value, and the resourceVersion of the object (null: none there). */
  record Read<T>(T value, String resourceVersion) {}

  private final Map<String, Read<T>> reads = new ConcurrentHashMap<>();

  /**
   * The value of {@code key}: the last read's, when {@code cachedVersion} (the version a cache
   * shows; null when it has no such object) is the version that read found; else a new read.
   */
  T get(String key, String cachedVersion, Supplier<Read<T>> read) {
    Read<T> last = reads.get(key);
    if (last != null && Objects.equals(last.resourceVersion(), cachedVersion)) {
      return last.value();
    }
    Read<T> fresh = read.get();
    reads.put(key, fresh);
    return fresh.value();
  }

  /** Forgets what was read of {@code key}: it was written, or is gone. */
  void forget(String key) {
    reads.remove(key);
  }

  /** Forgets what was read of every key but those {@code keep} accepts (sessions still there). */
  void retain(Predicate<String> keep) {
    reads.keySet().removeIf(keep.negate());
  }
}
