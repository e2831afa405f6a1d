package sparktrain.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures {@code System.out} and {@code System.err} during each test, for asserting what the CLI
 * prints; the real streams are back after the test. Register it as an instance field with
 * {@code @RegisterExtension}.
 */
final class ConsoleCapture implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @Override
  public void beforeEach(ExtensionContext context) {
    oldErr = System.err;
    oldOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(oldErr);
    System.setOut(oldOut);
  }

  /** What was printed to {@code System.out} since the test began or the last {@link #reset()}. */
  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What was printed to {@code System.err} since the test began or the last {@link #reset()}. */
  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Forgets what was captured so far, on both streams. */
  void reset() {
    out.reset();
    err.reset();
  }
}
