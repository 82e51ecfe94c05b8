package dev.tessera.runner.attempt;

/**
 * A session's page as a human sees and drives it from afar: a picture of it, and their clicks, keys
 * and scrolls. Every method is called from the thread that owns the browser.
 */
public interface LivePage {
  /** Opens a URL. */
  void goTo(String url);

  /** The URL the page shows now. */
  String url();

  /** A JPEG picture of the page's viewport. */
  byte[] picture();

  /** The viewport's width in CSS pixels. */
  int width();

  /** The viewport's height in CSS pixels. */
  int height();

  /** A click at a point of the viewport. */
  void click(double x, double y);

  /** Text typed where the focus is. */
  void type(String text);

  /** A key pressed where the focus is, by its name ({@code Enter}, {@code Tab}, {@code a}). */
  void press(String key);

  /** A scroll of the page by the given amounts. */
  void scroll(double dx, double dy);
}
