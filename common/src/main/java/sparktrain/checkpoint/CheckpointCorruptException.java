package sparktrain.checkpoint;

import sparktrain.errors.UserInputException;

/**
 * A checkpoint or model directory failed verification: a file's SHA-256 or size differs from {@code
 * manifest.json}, a listed file is missing, or the manifest is missing or unreadable. The message
 * names the directory and the file (and both hashes on a mismatch).
 */
public class CheckpointCorruptException extends UserInputException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the offending file. */
  public CheckpointCorruptException(String message) {
    super(message);
  }

  /** Creates the exception with a message naming the offending file and its cause. */
  public CheckpointCorruptException(String message, Throwable cause) {
    super(message, cause);
  }
}
