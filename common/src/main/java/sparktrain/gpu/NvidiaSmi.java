package sparktrain.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Lists this machine's GPUs with {@code nvidia-smi --query-gpu=index --format=csv,noheader}, the
 * same query {@code submit-scripts/gpu-discovery.sh} gives Spark.
 */
public final class NvidiaSmi {
  /** The query's command line. */
  public static final List<String> QUERY =
      List.of("nvidia-smi", "--query-gpu=index", "--format=csv,noheader");

  private static final long TIMEOUT_SECONDS = 20;

  /**
   * What the query found.
   *
   * @param indexes GPU indexes in nvidia-smi's order; empty when it failed
   * @param problem why the query gave no answer ({@code nvidia-smi} missing, failed, timed out), or
   *     {@code null} when it answered
   */
  public record Result(List<String> indexes, String problem) {
    /** Whether nvidia-smi answered (with or without GPUs). */
    public boolean answered() {
      return problem == null;
    }
  }

  private NvidiaSmi() {}

  /**
   * Parses the query's output: one GPU index per line; blank lines are skipped.
   *
   * @throws IllegalArgumentException if a line is not a GPU index; the message has the line
   */
  public static List<String> parseIndexes(String output) {
    List<String> out = new ArrayList<>();
    for (String raw : output.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (!line.matches("[0-9]+")) {
        throw new IllegalArgumentException(
            "unexpected line in the output of '"
                + String.join(" ", QUERY)
                + "': '"
                + line
                + "' (expected a GPU index)");
      }
      out.add(line);
    }
    return List.copyOf(out);
  }

  /** Runs the query; never throws: a missing or failing nvidia-smi is reported in the result. */
  public static Result query() {
    Path out;
    try {
      out = Files.createTempFile("sparktrain-nvidia-smi", ".txt");
    } catch (IOException e) {
      return new Result(List.of(), "cannot create a temporary file for nvidia-smi: " + e);
    }
    try {
      Process p;
      try {
        // Output to a file, not a pipe: a hanging nvidia-smi cannot block us past the timeout.
        p =
            new ProcessBuilder(QUERY)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
      } catch (IOException e) {
        return new Result(List.of(), "nvidia-smi not found (" + e.getMessage() + ")");
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(List.of(), "nvidia-smi did not answer in " + TIMEOUT_SECONDS + " s");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        return new Result(
            List.of(),
            String.format(
                Locale.ROOT, "nvidia-smi failed (exit %d): %s", p.exitValue(), text.strip()));
      }
      return new Result(parseIndexes(text), null);
    } catch (IOException | IllegalArgumentException e) {
      return new Result(List.of(), "nvidia-smi: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(List.of(), "interrupted while waiting for nvidia-smi");
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }
}
