package dev.tessera.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of Kubernetes JSONPath that printer columns use: {@code .a.b}, {@code ['a']}, {@code
 * [0]}, {@code [*]} and filters such as {@code [?(@.type=="Ready")]} with {@code ==} or {@code !=}.
 */
final class SimpleJsonPath {
  private final List<Step> steps;

  private SimpleJsonPath(List<Step> steps) {
    this.steps = steps;
  }

  /** Parses a path such as {@code .status.conditions[?(@.type=="Ready")].status}. */
  static SimpleJsonPath parse(String expression) {
    String path = expression.trim();
    if (path.startsWith("{") && path.endsWith("}")) {
      path = path.substring(1, path.length() - 1).trim();
    }
    if (path.startsWith("$")) {
      path = path.substring(1);
    }
    List<Step> steps = new ArrayList<>();
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        StringBuilder name = new StringBuilder();
        i++;
        while (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
          if (path.charAt(i) == '\\' && i + 1 < path.length()) {
            i++;
          }
          name.append(path.charAt(i++));
        }
        if (!name.isEmpty()) {
          steps.add(new Field(name.toString()));
        }
      } else if (c == '[') {
        int end = closingBracket(path, i);
        steps.add(bracket(path.substring(i + 1, end).trim()));
        i = end + 1;
      } else {
        throw new IllegalArgumentException("unsupported JSONPath: " + expression);
      }
    }
    return new SimpleJsonPath(steps);
  }

  /** Every value the path selects, in document order. */
  List<JsonNode> evaluate(JsonNode root) {
    List<JsonNode> current = List.of(root);
    for (Step step : steps) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        step.apply(node, next);
      }
      current = next;
    }
    return current;
  }

  /** The first selected value, or {@code null}. */
  JsonNode first(JsonNode root) {
    List<JsonNode> values = evaluate(root);
    return values.isEmpty() ? null : values.get(0);
  }

  private static int closingBracket(String path, int open) {
    int depth = 0;
    boolean quoted = false;
    char quote = 0;
    for (int i = open; i < path.length(); i++) {
      char c = path.charAt(i);
      if (quoted) {
        if (c == quote) {
          quoted = false;
        }
      } else if (c == '"' || c == '\'') {
        quoted = true;
        quote = c;
      } else if (c == '[') {
        depth++;
      } else if (c == ']' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed [ in JSONPath: " + path);
  }

  private static Step bracket(String content) {
    if (content.equals("*")) {
      return (node, out) -> node.elements().forEachRemaining(out::add);
    }
    if (content.startsWith("?(") && content.endsWith(")")) {
      return filter(content.substring(2, content.length() - 1).trim());
    }
    if (isQuoted(content)) {
      return new Field(content.substring(1, content.length() - 1));
    }
    int index = Integer.parseInt(content);
    return (node, out) -> {
      if (node.isArray()) {
        int i = index < 0 ? node.size() + index : index;
        if (i >= 0 && i < node.size()) {
          out.add(node.get(i));
        }
      }
    };
  }

  private static Step filter(String condition) {
    String operator = condition.contains("!=") ? "!=" : "==";
    int at = condition.indexOf(operator);
    if (at < 0 || !condition.startsWith("@")) {
      throw new IllegalArgumentException("unsupported JSONPath filter: " + condition);
    }
    SimpleJsonPath left = parse(condition.substring(1, at).trim());
    String literal = condition.substring(at + 2).trim();
    String expected = isQuoted(literal) ? literal.substring(1, literal.length() - 1) : literal;
    boolean equals = operator.equals("==");
    return (node, out) -> {
      if (!node.isArray()) {
        return;
      }
      for (JsonNode element : node) {
        JsonNode value = left.first(element);
        boolean match =
            value != null && !value.isContainerNode() && value.asText().equals(expected);
        if (match == equals) {
          out.add(element);
        }
      }
    };
  }

  private static boolean isQuoted(String text) {
    return text.length() >= 2
        && ((text.startsWith("'") && text.endsWith("'"))
            || (text.startsWith("\"") && text.endsWith("\"")));
  }

  private interface Step {
    void apply(JsonNode node, List<JsonNode> out);
  }

  private record Field(String name) implements Step {
    @Override
    public void apply(JsonNode node, List<JsonNode> out) {
      JsonNode value = node.get(name);
      if (value != null && !value.isNull()) {
        out.add(value);
      }
    }
  }
}
