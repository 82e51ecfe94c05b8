package dev.tessera.api.template;

/** A template names a value that is missing, or is malformed. The message never holds a value. */
public class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
