package dev.tessera.api.webhook;

/** A delivery whose signature, timestamp or headers do not hold: the receiver must refuse it. */
public class WebhookVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  public WebhookVerificationException(String message) {
    super(message);
  }
}
