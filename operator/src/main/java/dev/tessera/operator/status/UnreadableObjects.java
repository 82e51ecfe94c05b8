package dev.tessera.operator.status;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.api.v1alpha1.Tessera;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Objects of Tessera's kinds that the operator cannot read into its model: a field of the wrong
 * type ({@code checkAttempts: "three"}), a map written as a list. A real API server refuses them at
 * apply, but one stored before a CRD tightened, or written where nothing validates, must not stop
 * an informer (and with it the operator): the {@link #module() module} reads such an object as its
 * header and status only, and marks it with the problem. Its reconciler then {@link #check checks}
 * the mark first and reports {@code InvalidSpec} on the object, and every other object goes on.
 */
public final class UnreadableObjects {
  /** The annotation, in the operator's memory only, that says why an object could not be read. */
  public static final String ANNOTATION = Tessera.GROUP + "/unreadable";

  private static final String MODEL_PACKAGE = Tessera.class.getPackageName();

  private UnreadableObjects() {}

  /** What the operator's client registers so that one unreadable object never fails a list. */
  public static Module module() {
    SimpleModule module = new SimpleModule("tessera-unreadable-objects");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription description,
              JsonDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            return CustomResource.class.isAssignableFrom(type)
                    && type.getPackageName().equals(MODEL_PACKAGE)
                ? new Tolerant(deserializer)
                : deserializer;
          }
        });
    return module;
  }

  /** Why the object could not be read, when it could not. */
  public static Optional<String> problem(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(ANNOTATION));
  }

  /**
   * Throws {@link UnreadableObjectException} for an object that could not be read, or that has no
   * spec: the first step of every reconciliation, before anything reads its spec.
   */
  public static void check(HasMetadata object) {
    Optional<String> problem = problem(object);
    if (problem.isPresent()) {
      throw new UnreadableObjectException(problem.get());
    }
    if (object instanceof CustomResource<?, ?> resource && resource.getSpec() == null) {
      throw new UnreadableObjectException("spec: Required value");
    }
  }

  /** An object of Tessera's kinds that the operator could not read, and why. */
  public static final class UnreadableObjectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableObjectException(String problem) {
      super(problem);
    }
  }

  /** A kind's deserializer that reads an unreadable object as its header and status. */
  private static final class Tolerant extends DelegatingDeserializer {
    private static final long serialVersionUID = 1L;

    Tolerant(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new Tolerant(delegate);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonNode tree = context.readTree(parser);
      try {
        return read(tree, parser, context);
      } catch (JsonMappingException e) {
        if (!(tree instanceof ObjectNode object)) {
          throw e;
        }
        String problem = describe(e);
        Object header = readHeader(object, true, parser, context);
        if (header == null) {
          header = readHeader(object, false, parser, context);
        }
        if (header instanceof HasMetadata resource) {
          Map<String, String> annotations = resource.getMetadata().getAnnotations();
          if (annotations == null) {
            annotations = new HashMap<>();
            resource.getMetadata().setAnnotations(annotations);
          }
          annotations.put(ANNOTATION, problem);
          return resource;
        }
        throw e;
      }
    }

    private Object readHeader(
        ObjectNode object, boolean withStatus, JsonParser parser, DeserializationContext context)
        throws IOException {
      ObjectNode header = object.objectNode();
      for (String field : new String[] {"apiVersion", "kind", "metadata"}) {
        if (object.has(field)) {
          header.set(field, object.get(field));
        }
      }
      if (withStatus && object.has("status")) {
        header.set("status", object.get("status"));
      }
      try {
        return read(header, parser, context);
      } catch (JsonMappingException e) {
        return null;
      }
    }

    private Object read(JsonNode tree, JsonParser parser, DeserializationContext context)
        throws IOException {
      try (JsonParser nested = tree.traverse(parser.getCodec())) {
        nested.nextToken();
        return _delegatee.deserialize(nested, context);
      }
    }

    /** {@code spec.authSession.checkAttempts: Cannot deserialize value of type ...}. */
    private static String describe(JsonMappingException e) {
      StringBuilder path = new StringBuilder();
      for (JsonMappingException.Reference reference : e.getPath()) {
        if (reference.getFieldName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
        } else if (reference.getIndex() >= 0) {
          path.append('[').append(reference.getIndex()).append(']');
        }
      }
      // a model class that refuses a value in its constructor says why; Jackson's wrapping adds
      // only the class name
      String message =
          e instanceof ValueInstantiationException && e.getCause() != null
              ? e.getCause().getMessage()
              : e.getOriginalMessage();
      int line = message.indexOf('\n');
      message = line < 0 ? message : message.substring(0, line);
      return (path.isEmpty() ? "" : path + ": ") + message;
    }
  }
}
