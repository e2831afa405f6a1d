package sparktrain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sparktrain.testing.ChildJvm;

class ExecutorJitTest {

  @Test
  void theThresholdFlagIsAddedToTheUsersExecutorOptionsUnlessTheySetTheirOwn() {
    SparkConf none = new SparkConf(false);
    ExecutorJit.applyTo(none);
    assertThat(none.get("spark.executor.extraJavaOptions"))
        .isEqualTo("-XX:CompileThresholdScaling=0.1");

    SparkConf theirs = new SparkConf(false).set("spark.executor.extraJavaOptions", " -Xss4m ");
    ExecutorJit.applyTo(theirs);
    assertThat(theirs.get("spark.executor.extraJavaOptions"))
        .isEqualTo("-Xss4m -XX:CompileThresholdScaling=0.1");

    SparkConf own =
        new SparkConf(false)
            .set("spark.executor.extraJavaOptions", "-XX:CompileThresholdScaling=0.5 -Xss4m");
    ExecutorJit.applyTo(own);
    ExecutorJit.applyTo(own);
    assertThat(own.get("spark.executor.extraJavaOptions"))
        .isEqualTo("-XX:CompileThresholdScaling=0.5 -Xss4m");
  }

  /**
   * A JVM that runs as an executor of a run would: a stage of one task (its scope closed twice),
   * then a final stage of two overlapping tasks. Prints HotSpot's directive stack between them,
   * runs a hot Java method and AES-GCM long enough for C2 to want both, and prints the stack when
   * the first and the last task of the final stage have ended, to the file {@code args[0]} (its
   * standard output carries HotSpot's {@code PrintCompilation} lines, written by compiler threads
   * at any moment).
   */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      List<String> report = new java.util.ArrayList<>();
      long sum = 0;
      ExecutorJit.Scope early = ExecutorJit.training(false);
      early.close();
      early.close();
      report.add("between stages: " + oneLine(ExecutorJit.directives()));
      try (ExecutorJit.Scope second = ExecutorJit.training(true)) {
        ExecutorJit.Scope first = ExecutorJit.training(true);
        report.add("inside: " + oneLine(ExecutorJit.directives()));
        for (int i = 0; i < 200_000; i++) {
          sum += hot(i);
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] plain = new byte[4096];
        byte[] nonce = new byte[12];
        for (int i = 0; i < 20_000; i++) {
          nonce[0] = (byte) i;
          nonce[1] = (byte) (i >> 8);
          gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
          sum += gcm.doFinal(plain)[0];
        }
        first.close();
        report.add("one closed: " + oneLine(ExecutorJit.directives()));
      }
      report.add("all closed: " + oneLine(ExecutorJit.directives()));
      report.add("done " + sum);
      java.nio.file.Files.write(Path.of(args[0]), report);
    }

    private static String oneLine(String text) {
      return text.replace('\n', ' ');
    }

    static long hot(int i) {
      long s = 0;
      for (int j = 0; j < 20; j++) {
        s += (i ^ j) % 7 == 0 ? j : -j;
      }
      return s;
    }
  }

  @Test
  void inAJvmWithTheDirectivesC2CompilesAesGcmAndC1TheRest(@TempDir Path tmp) throws Exception {
    Path log = tmp.resolve("child.log");
    Path reportFile = tmp.resolve("report.txt");
    Process p =
        ChildJvm.of(Child.class.getName(), List.of(reportFile.toString()))
            .heap("128m")
            .tmpDir(tmp)
            .options(List.of(ExecutorJit.THRESHOLD_FLAG, "-XX:+PrintCompilation"))
            .start(log);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> lines = ChildJvm.tail(log, 100_000);
    assertThat(p.exitValue()).as(String.join("\n", ChildJvm.tail(log, 40))).isZero();
    List<String> report = java.nio.file.Files.readAllLines(reportFile);
    String crypto = "com/sun/crypto/provider/*.*";
    assertThat(line(report, "between stages: ")).as("kept after a stage").contains(crypto);
    assertThat(line(report, "inside: ")).contains(crypto).contains("Exclude:true");
    assertThat(line(report, "inside: ").split("com/sun/crypto/provider", -1))
        .as("added once")
        .hasSize(2);
    assertThat(line(report, "one closed: ")).as("another scope is open").contains(crypto);
    assertThat(line(report, "all closed: "))
        .as("removed when the final stage's last task ends")
        .contains("Directive: (default)")
        .doesNotContain(crypto)
        .doesNotContain("Exclude:true");

    // PrintCompilation: "<time> <id> <flags> <tier> <class>::<method> (<size>)"
    Pattern compiled =
        Pattern.compile("^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*\\s([0-4])\\s+(\\S+)::(\\S+)");
    boolean hotAtTier1 = false;
    boolean hotAtTier4 = false;
    boolean cryptoAtTier4 = false;
    for (String line : lines) {
      Matcher m = compiled.matcher(line);
      if (!m.find()) {
        continue;
      }
      int tier = Integer.parseInt(m.group(1));
      String method = m.group(2) + "::" + m.group(3);
      if (method.endsWith("ExecutorJitTest$Child::hot")) {
        hotAtTier1 |= tier == 1;
        hotAtTier4 |= tier == 4;
      }
      cryptoAtTier4 |= tier == 4 && method.startsWith("com.sun.crypto.provider.");
    }
    assertThat(hotAtTier4).as("C2 compiled a method outside the ring's packages").isFalse();
    assertThat(hotAtTier1).as("the hot method ends at C1 without profiling").isTrue();
    assertThat(cryptoAtTier4).as("C2 compiled the JDK's AES-GCM").isTrue();
  }

  private static String line(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }
}
