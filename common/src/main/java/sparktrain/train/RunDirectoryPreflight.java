package sparktrain.train;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sparktrain.config.JobConfig;
import sparktrain.lease.OutputLease;

/**
 * The checks of a training run's directories on the driver, before the SparkSession starts: what
 * {@link TrainJob} would refuse only after Spark started, and what it cannot use at all ({@code
 * --output} or {@code checkpoint.dir} naming a file). Whether an existing run may be resumed or
 * restarted is still decided by the job (it compares checkpoints and config fingerprints).
 */
public final class RunDirectoryPreflight {
  private RunDirectoryPreflight() {}

  /**
   * Checks {@code output.dir} and {@code checkpoint.dir} of {@code config}.
   *
   * @param resume {@code --resume}: the run directory must hold an earlier run
   * @param force {@code --force}: a non-empty directory that is not a run directory may be used
   * @throws RunDirectoryException naming the directory and what to do
   */
  public static void check(JobConfig config, boolean resume, boolean force, Configuration conf)
      throws IOException {
    String dir = config.output().dir();
    if (dir != null && !dir.isBlank()) {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      Path out = fs.makeQualified(p);
      FileStatus status = fs.exists(out) ? fs.getFileStatus(out) : null;
      if (status != null && !status.isDirectory()) {
        throw new RunDirectoryException(
            "--output "
                + dir
                + ": "
                + out
                + " is a file; expected a run directory (a new one, or one of an earlier run to"
                + " resume)");
      }
      boolean empty = status == null || OutputLease.contents(fs, out).isEmpty();
      if (resume && empty) {
        throw new RunDirectoryException(
            "--resume: run directory " + out + " does not exist or is empty");
      }
      if (!empty && !force && !fs.exists(new Path(out, "config.conf"))) {
        throw new RunDirectoryException(
            "run directory "
                + out
                + " exists and holds no checkpoint to resume from (no config.conf either: it is"
                + " not a sparktrain run directory); choose another --output, or pass --force to"
                + " start over in it");
      }
    }
    String checkpoints = config.checkpoint().dir();
    if (checkpoints != null && !checkpoints.isBlank()) {
      Path p = new Path(checkpoints);
      FileSystem fs = p.getFileSystem(conf);
      Path c = fs.makeQualified(p);
      if (fs.exists(c) && !fs.getFileStatus(c).isDirectory()) {
        throw new RunDirectoryException(
            "checkpoint.dir = " + checkpoints + ": " + c + " is a file; expected a directory");
      }
    }
  }
}
