package dev.tessera.api.v1alpha1.step;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a {@link Step} as users write it: {@code name} and {@code timeoutSeconds} next
 * to one key naming the action ({@link Action#KEYS}). A key set to null counts as absent, as an API
 * server prunes it; an unknown key is refused when the mapper refuses unknown properties.
 */
public final class StepJson {
  static final String NAME = "name";
  static final String TIMEOUT_SECONDS = "timeoutSeconds";

  private StepJson() {}

  /** Writes a step as one object. */
  public static final class Writer extends StdSerializer<Step> {
    private static final long serialVersionUID = 1L;

    public Writer() {
      super(Step.class);
    }

    @Override
    public void serialize(Step step, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      if (step.name() != null) {
        gen.writeStringField(NAME, step.name());
      }
      if (step.timeoutSeconds() != null) {
        gen.writeNumberField(TIMEOUT_SECONDS, step.timeoutSeconds());
      }
      gen.writeFieldName(Action.keyOf(step.action()));
      provider.defaultSerializeValue(step.action(), gen);
      gen.writeEndObject();
    }
  }

  /** Reads a step from one object. */
  public static final class Reader extends StdDeserializer<Step> {
    private static final long serialVersionUID = 1L;

    public Reader() {
      super(Step.class);
    }

    @Override
    public Step deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = ctxt.readTree(p);
      if (!node.isObject()) {
        throw MismatchedInputException.from(
            p, Step.class, "a step is an object, not " + node.getNodeType());
      }
      String name = null;
      Integer timeoutSeconds = null;
      List<Action> actions = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey();
        JsonNode value = field.getValue();
        if (value.isNull()) {
          continue;
        }
        if (key.equals(NAME)) {
          name = ctxt.readTreeAsValue(value, String.class);
        } else if (key.equals(TIMEOUT_SECONDS)) {
          timeoutSeconds = ctxt.readTreeAsValue(value, Integer.class);
        } else if (Action.KEYS.containsKey(key)) {
          actions.add(ctxt.readTreeAsValue(value, Action.KEYS.get(key)));
        } else if (ctxt.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)) {
          List<Object> known = new ArrayList<>(List.of(NAME, TIMEOUT_SECONDS));
          known.addAll(Action.KEYS.keySet());
          throw UnrecognizedPropertyException.from(p, Step.class, key, known);
        }
      }
      if (actions.size() != 1) {
        throw MismatchedInputException.from(
            p,
            Step.class,
            StepSchema.ONE_ACTION_MESSAGE
                + (actions.isEmpty()
                    ? "; this one has none"
                    : "; this one has " + actions.stream().map(Action::keyOf).toList()));
      }
      return new Step(name, timeoutSeconds, actions.get(0));
    }

    /** A step in a list cannot be null, as in the CRD. */
    @Override
    public Step getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      throw MismatchedInputException.from(
          ctxt.getParser(), Step.class, "a step is an object, not null");
    }
  }
}
