package dev.tessera.runner.result;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/** Writes the result as one line to a stream: the process's stdout when no output file is set. */
public final class StreamResultSink implements ResultSink {
  private final OutputStream out;

  public StreamResultSink(OutputStream out) {
    this.out = out;
  }

  @Override
  public void deliver(byte[] resultJson) throws IOException {
    out.write(resultJson);
    out.write('\n');
    out.flush();
    if (out instanceof PrintStream printStream && printStream.checkError()) {
      throw new IOException("the stream could not be written (closed?)");
    }
  }

  @Override
  public String describe() {
    return "stdout";
  }
}
