package sparktrain.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.config.JobConfig;
import sparktrain.io.HadoopFiles;
import sparktrain.lease.OutputLease;
import sparktrain.report.DriverLog;

/**
 * The run directory of a training run on any Hadoop file system, and the paths of what goes in it:
 * {@code config.conf}, {@code metrics.jsonl}, {@code summary.json}, {@code checkpoints/}, {@code
 * model/}.
 */
public final class RunDirectory {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path root;
  private final FileSystem fs;

  private RunDirectory(Path root, FileSystem fs) {
    this.root = root;
    this.fs = fs;
  }

  /** The run directory named by {@code output.dir}, or a new one under {@code runs/}. */
  public static RunDirectory of(JobConfig config, Configuration conf) {
    String dir = config.output().dir();
    if (dir == null || dir.isBlank()) {
      dir = "runs/" + config.workload() + "-" + LocalDateTime.now().format(STAMP);
    }
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      return new RunDirectory(fs.makeQualified(p), fs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open run directory " + dir, e);
    }
  }

  /** Qualified URI of the directory. */
  public String uri() {
    return root.toString();
  }

  /** Qualified path of the directory. */
  public Path path() {
    return root;
  }

  /** File system of the directory. */
  public FileSystem fs() {
    return fs;
  }

  /** Path of a child of the run directory. */
  public Path child(String name) {
    return new Path(root, name);
  }

  /** Whether the directory exists and has any entry but its lease ({@link OutputLease}). */
  public boolean existsNonEmpty() throws IOException {
    return !OutputLease.contents(fs, root).isEmpty();
  }

  /** Creates the directory (and parents). */
  public void create() throws IOException {
    fs.mkdirs(root);
  }

  /**
   * Replaces a UTF-8 text file in the run directory atomically. The first write makes the directory
   * the one of this command's driver log ({@link DriverLog#useDirectory}).
   */
  public void writeText(String name, String text) throws IOException {
    writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces a file in the run directory atomically (see {@link #writeText}). */
  public void writeBytes(String name, byte[] bytes) throws IOException {
    HadoopFiles.writeAtomically(fs, child(name), bytes);
    DriverLog.useDirectory(root, fs.getConf());
  }

  /** Reads a UTF-8 text file of the run directory, or returns "" when it does not exist. */
  public String readText(String name) throws IOException {
    Path p = child(name);
    if (!fs.exists(p)) {
      return "";
    }
    return new String(HadoopFiles.readAll(fs, p), StandardCharsets.UTF_8);
  }
}
