package sparktrain.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sparktrain.checkpoint.CheckpointManifest;
import sparktrain.checkpoint.CheckpointMetadata;
import sparktrain.checkpoint.LoadedCheckpoint;
import sparktrain.checkpoint.ModelDirectory;
import sparktrain.io.ControlFiles;
import sparktrain.io.HadoopFiles;
import sparktrain.io.Json;
import sparktrain.lease.Lease;

/**
 * A model registry on any Hadoop file system ({@code file:}, {@code hdfs:}, ...):
 *
 * <pre>
 * &lt;registry&gt;/&lt;name&gt;/versions/v0003/  model.zip, extra files (normalizer.json ...), manifest.json
 * &lt;registry&gt;/&lt;name&gt;/claims/v0003     claimed version numbers (exclusive create)
 * &lt;registry&gt;/&lt;name&gt;/CHAMPION          the champion's version name, replaced atomically
 * &lt;registry&gt;/&lt;name&gt;/HISTORY           champion changes, JSON Lines, rewritten atomically
 * &lt;registry&gt;/&lt;name&gt;/WATERMARK         what the last retrain consumed (JSON)
 * &lt;registry&gt;/&lt;name&gt;/LOCK              {@link RegistryLock}
 * </pre>
 *
 * <p>{@code CHAMPION} is the only source of truth for the champion: it is replaced by an atomic
 * rename, and only after the promoted version verified against its manifest (SHA-256 of every
 * file), so a crash at any point leaves exactly one valid champion, the old or the new one. {@code
 * HISTORY} is written after it; a champion change found without a history line is recorded as
 * {@value HistoryEntry#RECOVERED} when next noticed, so {@link #rollback} still goes back to the
 * right version.
 *
 * <p>{@link #register} is safe for concurrent writers (each claims its version number by exclusive
 * create, then publishes its directory by rename). Champion changes ({@link #promote}, {@link
 * #rollback}, {@link #registerAndPromoteIfNoChampion}) and {@link #setWatermark} are meant to run
 * under the registry's {@link #lock()}, which callers hold for the whole decision.
 */
public final class ModelRegistry {
  /** Sub-directory holding the versions. */
  public static final String VERSIONS_DIR = "versions";

  /** Sub-directory holding the version-number claims. */
  public static final String CLAIMS_DIR = "claims";

  /** Name of the champion pointer file. */
  public static final String CHAMPION = "CHAMPION";

  /** Name of the champion history file. */
  public static final String HISTORY = "HISTORY";

  /** Name of the retrain watermark file. */
  public static final String WATERMARK = "WATERMARK";

  /** Provenance key under which {@link #register} records the decision info. */
  public static final String DECISION_KEY = "decision";

  /** Provenance key under which {@link #register} records the version name. */
  public static final String VERSION_KEY = "registry_version";

  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /**
   * The registry version a model's provenance names ({@value #VERSION_KEY}), if it is a registry
   * version.
   */
  public static Optional<String> versionIn(Map<String, Object> provenance) {
    Object v = provenance.get(VERSION_KEY);
    return v == null ? Optional.empty() : Optional.of(v.toString());
  }

  private static final Pattern VERSION = Pattern.compile("v(\\d{4,9})");
  private static final Pattern LOOSE_VERSION = Pattern.compile("[vV]?(\\d{1,9})");
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Duration STALE_TEMP_AGE = Duration.ofDays(1);
  private static final int MAX_CLAIM_ATTEMPTS = 1000;

  private final Configuration conf;
  private final FileSystem fs;
  private final Path root;
  private final ControlFiles files;
  private final Clock clock;

  private ModelRegistry(Path root, Configuration conf, Clock clock) throws IOException {
    this.conf = conf;
    this.fs = root.getFileSystem(conf);
    this.root = fs.makeQualified(root);
    this.files = new ControlFiles(fs);
    this.clock = clock;
  }

  /**
   * The registry of one model, {@code REG/NAME} (any Hadoop URI or path; relative paths resolve
   * against the working directory). Nothing is created until the first {@link #register}.
   *
   * @throws RegistryException if the last path element is not a valid model name
   */
  public static ModelRegistry open(String uri, Configuration conf) throws IOException {
    return open(uri, conf, Clock.systemUTC());
  }

  static ModelRegistry open(String uri, Configuration conf, Clock clock) throws IOException {
    if (uri == null || uri.isBlank()) {
      throw new RegistryException("A registry is given as REGISTRY/NAME, got '" + uri + "'");
    }
    Path path = new Path(uri);
    if (path.getParent() == null || !MODEL_NAME.matcher(path.getName()).matches()) {
      throw new RegistryException(
          "A registry is given as REGISTRY/NAME with NAME made of letters, digits, '.', '_' and"
              + " '-' (not starting with '.', '_' or '-'), got '"
              + uri
              + "'");
    }
    return new ModelRegistry(path, conf, clock);
  }

  /** Fully qualified URI of the model's registry directory ({@code REG/NAME}). */
  public String uri() {
    return root.toUri().toString();
  }

  /** The model name (last path element). */
  public String name() {
    return root.getName();
  }

  /** Whether the registry holds anything yet (its {@code versions/} directory exists). */
  public boolean exists() throws IOException {
    return fs.exists(new Path(root, VERSIONS_DIR));
  }

  /**
   * Returns this registry if it {@link #exists()}.
   *
   * @throws RegistryException naming the path otherwise
   */
  public ModelRegistry requireExists() throws IOException {
    if (!exists()) {
      throw new RegistryException(
          "No model registry at "
              + uri()
              + " (no "
              + VERSIONS_DIR
              + "/ directory); register a model first, e.g. with train --register "
              + uri());
    }
    return this;
  }

  /** The registry's lock (one retrain, promotion or rollback at a time). */
  public RegistryLock lock() {
    return new RegistryLock(files, root, uri(), clock);
  }

  /**
   * Writes a new version: claims the next free number {@code vNNNN} by exclusive create (two
   * writers never get the same one), writes the model into a temporary directory and publishes it
   * by rename. The champion is not changed.
   *
   * <p>The manifest records {@code meta} (metrics, parent version, run id, resolved config) and
   * {@code meta.provenance()} (data fingerprints ...), plus {@value #VERSION_KEY} and, if given,
   * {@code decisionInfo} under {@value #DECISION_KEY} (by convention with a {@code decision} value
   * such as {@code promoted} or {@code kept-champion} and a {@code reason}).
   *
   * @param extraFiles files stored next to the model, e.g. {@code normalizer.json}; may be null
   * @param decisionInfo JSON-ready decision details; may be null
   */
  public RegisteredVersion register(
      MultiLayerNetwork net,
      CheckpointMetadata meta,
      Map<String, byte[]> extraFiles,
      Map<String, Object> decisionInfo)
      throws IOException {
    Path versionsDir = new Path(root, VERSIONS_DIR);
    fs.mkdirs(versionsDir);
    String version = claimNextVersion();
    Map<String, Object> provenance = new LinkedHashMap<>(meta.provenance());
    provenance.put(VERSION_KEY, version);
    if (decisionInfo != null && !decisionInfo.isEmpty()) {
      provenance.put(DECISION_KEY, new LinkedHashMap<>(decisionInfo));
    }
    CheckpointMetadata withRegistry =
        new CheckpointMetadata(
            meta.epoch(),
            meta.iteration(),
            meta.runId(),
            meta.parent(),
            meta.metrics(),
            meta.resolvedConfig(),
            provenance);
    Path dir = new Path(versionsDir, version);
    ModelDirectory.write(dir.toString(), conf, net, withRegistry, extraFiles);
    LOG.info("Registered version {} of model {} at {}", version, name(), dir);
    deleteStaleTemporaries(versionsDir, STALE_TEMP_AGE);
    return new RegisteredVersion(version, dir.toUri().toString(), false);
  }

  /**
   * {@link #register}s the model and, if the registry has no champion yet, promotes it (as {@code
   * train --register} does). Run it under the {@link #lock()}.
   */
  public RegisteredVersion registerAndPromoteIfNoChampion(
      MultiLayerNetwork net,
      CheckpointMetadata meta,
      Map<String, byte[]> extraFiles,
      Map<String, Object> decisionInfo)
      throws IOException {
    RegisteredVersion registered = register(net, meta, extraFiles, decisionInfo);
    if (champion().isPresent()) {
      return registered;
    }
    promote(registered.version(), "first version of model " + name() + ": no champion yet");
    return new RegisteredVersion(registered.version(), registered.uri(), true);
  }

  /**
   * The version {@code CHAMPION} names, or empty if there is none.
   *
   * @throws RegistryException if {@code CHAMPION} does not hold a version name
   */
  public Optional<String> champion() throws IOException {
    Optional<byte[]> content = files.read(new Path(root, CHAMPION));
    if (content.isEmpty()) {
      return Optional.empty();
    }
    String name = new String(content.get(), StandardCharsets.UTF_8).trim();
    if (!VERSION.matcher(name).matches()) {
      throw new RegistryException(
          "File "
              + new Path(root, CHAMPION)
              + " holds '"
              + name
              + "', not a version name (vNNNN); fix it with registry promote VERSION");
    }
    return Optional.of(name);
  }

  /** The champion, verified, or empty if there is none. */
  public Optional<LoadedCheckpoint> loadChampion() throws IOException {
    Optional<String> champion = champion();
    return champion.isEmpty() ? Optional.empty() : Optional.of(load(champion.get()));
  }

  /**
   * Loads {@code version} (e.g. {@code v0003}, {@code v3} or {@code 3}), verifying every file
   * against its manifest.
   *
   * @throws RegistryException if there is no such version
   * @throws sparktrain.checkpoint.CheckpointCorruptException naming the file on a mismatch
   */
  public LoadedCheckpoint load(String version) throws IOException {
    return ModelDirectory.read(existingVersionDir(normalizeVersion(version)).toString(), conf);
  }

  /**
   * The raw {@code manifest.json} of {@code version} (not verified).
   *
   * @throws RegistryException if there is no such version
   */
  public byte[] manifestJson(String version) throws IOException {
    Path dir = existingVersionDir(normalizeVersion(version));
    try {
      return HadoopFiles.readAll(fs, new Path(dir, CheckpointManifest.FILE_NAME));
    } catch (FileNotFoundException e) {
      throw new RegistryException(
          "Version " + dir.getName() + " of " + uri() + " has no " + CheckpointManifest.FILE_NAME,
          e);
    }
  }

  /** Names of the published versions (directories with a manifest), oldest first. */
  public List<String> versions() throws IOException {
    List<String> names = new ArrayList<>();
    for (String name : numbered(new Path(root, VERSIONS_DIR), true)) {
      if (fs.exists(
          new Path(new Path(new Path(root, VERSIONS_DIR), name), CheckpointManifest.FILE_NAME))) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * Every published version with what its manifest records and whether it is the champion, oldest
   * first. A version whose manifest cannot be read is listed with a {@code problem}.
   */
  public List<VersionInfo> list() throws IOException {
    Optional<String> champion = champion();
    List<VersionInfo> infos = new ArrayList<>();
    ObjectReader reader = RegistryJson.readerFor(CheckpointManifest.class);
    for (String version : versions()) {
      Path dir = new Path(new Path(root, VERSIONS_DIR), version);
      boolean isChampion = champion.filter(version::equals).isPresent();
      try (InputStream in = fs.open(new Path(dir, CheckpointManifest.FILE_NAME))) {
        CheckpointManifest m = reader.readValue(in);
        infos.add(
            new VersionInfo(
                version,
                dir.toUri().toString(),
                m.createdAt(),
                m.runId(),
                m.parent(),
                m.metrics(),
                isChampion,
                decisionOf(m),
                null));
      } catch (IOException | RuntimeException e) {
        infos.add(
            new VersionInfo(
                version,
                dir.toUri().toString(),
                null,
                null,
                null,
                null,
                isChampion,
                null,
                "unreadable " + CheckpointManifest.FILE_NAME + ": " + e.getMessage()));
      }
    }
    return infos;
  }

  /**
   * The champion changes recorded in {@code HISTORY}, oldest first.
   *
   * @throws RegistryException naming the file and line if a line is not a history entry
   */
  public List<HistoryEntry> history() throws IOException {
    Path file = new Path(root, HISTORY);
    Optional<byte[]> content = files.read(file);
    List<HistoryEntry> entries = new ArrayList<>();
    if (content.isEmpty()) {
      return entries;
    }
    ObjectReader reader = RegistryJson.readerFor(HistoryEntry.class);
    String[] lines = new String(content.get(), StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        HistoryEntry e = reader.readValue(lines[i]);
        if (e == null || e.action() == null || e.version() == null) {
          throw new RegistryException(
              "File " + file + " line " + (i + 1) + " has no action/version");
        }
        entries.add(e);
      } catch (JacksonException e) {
        throw new RegistryException(
            "File "
                + file
                + " line "
                + (i + 1)
                + " is not a history entry: "
                + e.getOriginalMessage(),
            e);
      }
    }
    return entries;
  }

  /**
   * Makes {@code version} the champion: verifies it (SHA-256 of every file), replaces {@code
   * CHAMPION} atomically, then appends to {@code HISTORY}. Promoting the current champion changes
   * nothing. Run it under the {@link #lock()}.
   *
   * @throws RegistryException if there is no such version
   * @throws sparktrain.checkpoint.CheckpointCorruptException if it fails verification (nothing is
   *     changed)
   */
  public void promote(String version, String reason) throws IOException {
    String target = normalizeVersion(version);
    Path dir = existingVersionDir(target);
    ModelDirectory.read(dir.toString(), conf); // verifies every hash before the pointer moves
    Optional<String> current = champion();
    if (current.filter(target::equals).isPresent()) {
      LOG.info("Version {} already is the champion of {}", target, uri());
      return;
    }
    List<HistoryEntry> history = history(); // fails before any change if HISTORY is unreadable
    writeChampion(target);
    List<HistoryEntry> added = recoveryEntry(history, current);
    added.add(entry(HistoryEntry.PROMOTE, target, current.orElse(null), reason));
    appendHistory(added);
    LOG.info(
        "Promoted {} to champion of {} (was {}): {}",
        target,
        uri(),
        current.orElse("none"),
        reason);
    cleanUpControlTemporaries();
  }

  /**
   * Restores the champion before the current one (repeated rollbacks walk further back), after
   * verifying it. Run it under the {@link #lock()}.
   *
   * @return the new champion
   * @throws RegistryException if there is no champion or no previous one
   * @throws sparktrain.checkpoint.CheckpointCorruptException if the previous champion fails
   *     verification (nothing is changed)
   */
  public String rollback(String reason) throws IOException {
    Optional<String> current = champion();
    if (current.isEmpty()) {
      throw new RegistryException("Model registry " + uri() + " has no champion to roll back");
    }
    List<HistoryEntry> history = history();
    Deque<String> stack = championStack(history, current);
    if (stack.size() < 2) {
      throw new RegistryException(
          "Cannot roll back model registry "
              + uri()
              + ": "
              + current.get()
              + " is the only champion in its "
              + HISTORY
              + "; promote a version explicitly with registry promote VERSION");
    }
    Iterator<String> it = stack.iterator();
    it.next();
    String target = it.next();
    ModelDirectory.read(existingVersionDir(target).toString(), conf);
    writeChampion(target);
    List<HistoryEntry> added = recoveryEntry(history, current);
    added.add(entry(HistoryEntry.ROLLBACK, target, current.get(), reason));
    appendHistory(added);
    LOG.info("Rolled back {} from {} to {}: {}", uri(), current.get(), target, reason);
    cleanUpControlTemporaries();
    return target;
  }

  /** What the last retrain consumed, or empty before the first one. */
  public Optional<RetrainWatermark> lastRetrainWatermark() throws IOException {
    Path file = new Path(root, WATERMARK);
    Optional<byte[]> content = files.read(file);
    if (content.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RegistryJson.readerFor(RetrainWatermark.class).readValue(content.get()));
    } catch (JacksonException e) {
      throw new RegistryException(
          "File " + file + " is not a retrain watermark: " + e.getOriginalMessage(), e);
    }
  }

  /** Replaces the retrain watermark atomically. Run it under the {@link #lock()}. */
  public void setWatermark(RetrainWatermark watermark) throws IOException {
    files.replace(new Path(root, WATERMARK), Json.pretty(watermark));
  }

  /** The version name of number {@code n}: {@code v0003}. */
  public static String versionName(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Version numbers start at 1, got " + n);
    }
    return String.format("v%04d", n);
  }

  /**
   * {@code v0003}, {@code v3} and {@code 3} all name version {@code v0003}.
   *
   * @throws RegistryException if {@code version} is none of these forms
   */
  public static String normalizeVersion(String version) throws RegistryException {
    Matcher m = version == null ? null : LOOSE_VERSION.matcher(version.trim());
    if (m == null || !m.matches() || Integer.parseInt(m.group(1)) < 1) {
      throw new RegistryException(
          "Not a version name: '" + version + "' (expected vNNNN such as v0003, or its number 3)");
    }
    return versionName(Integer.parseInt(m.group(1)));
  }

  private Path existingVersionDir(String version) throws IOException {
    Path dir = new Path(new Path(root, VERSIONS_DIR), version);
    if (!fs.exists(dir)) {
      requireExists();
      throw new RegistryException(
          "No version " + version + " in model registry " + uri() + "; versions: " + versions());
    }
    return dir;
  }

  /** Claims the next free number: exclusive create of {@code claims/vNNNN}. */
  private String claimNextVersion() throws IOException {
    Path claims = new Path(root, CLAIMS_DIR);
    int next = 1;
    for (String name : numbered(claims, false)) {
      next = Math.max(next, numberOf(name) + 1);
    }
    for (String name : numbered(new Path(root, VERSIONS_DIR), true)) {
      next = Math.max(next, numberOf(name) + 1);
    }
    for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++, next++) {
      String version = versionName(next);
      Map<String, Object> claim = new LinkedHashMap<>();
      claim.put("version", version);
      claim.put("claimed_at", clock.instant().toString());
      claim.put("by", by());
      if (files.createExclusively(new Path(claims, version), Json.pretty(claim))
          && !fs.exists(new Path(new Path(root, VERSIONS_DIR), version))) {
        return version;
      }
    }
    throw new IOException(
        "Could not claim a version number in "
            + claims
            + " after "
            + MAX_CLAIM_ATTEMPTS
            + " tries");
  }

  /** Names {@code vNNNN} in {@code dir} (directories or files), ascending by number. */
  private List<String> numbered(Path dir, boolean directories) throws IOException {
    List<String> names =
        HadoopFiles.names(
            fs,
            dir,
            s ->
                s.isDirectory() == directories && VERSION.matcher(s.getPath().getName()).matches());
    names.sort((a, b) -> Integer.compare(numberOf(a), numberOf(b)));
    return names;
  }

  private static int numberOf(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.matches()) {
      throw new IllegalArgumentException("Not a version name: " + version);
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * The champions so far, current first, replayed from {@code history} and reconciled with {@code
   * CHAMPION} (the truth): a champion that the history's last state does not show was set by an
   * interrupted promotion (pushed) or rollback (popped back to it).
   */
  static Deque<String> championStack(List<HistoryEntry> history, Optional<String> current) {
    Deque<String> stack = replay(history);
    current.ifPresentOrElse(c -> reconcile(stack, c), stack::clear);
    return stack;
  }

  /** The champions so far, current first, as {@code HISTORY} alone records them. */
  private static Deque<String> replay(List<HistoryEntry> history) {
    Deque<String> stack = new ArrayDeque<>();
    for (HistoryEntry e : history) {
      switch (e.action()) {
        case HistoryEntry.ROLLBACK -> {
          stack.pollFirst();
          if (!e.version().equals(stack.peekFirst())) {
            stack.push(e.version());
          }
        }
        case HistoryEntry.RECOVERED -> reconcile(stack, e.version());
        default -> stack.push(e.version());
      }
    }
    return stack;
  }

  private static void reconcile(Deque<String> stack, String champion) {
    if (champion.equals(stack.peekFirst())) {
      return;
    }
    Iterator<String> it = stack.iterator();
    if (stack.size() >= 2) {
      it.next();
      if (champion.equals(it.next())) {
        stack.pollFirst();
        return;
      }
    }
    stack.push(champion);
  }

  /**
   * A {@value HistoryEntry#RECOVERED} line if {@code HISTORY} does not end with {@code current}.
   */
  private List<HistoryEntry> recoveryEntry(List<HistoryEntry> history, Optional<String> current) {
    List<HistoryEntry> added = new ArrayList<>();
    String last = replay(history).peekFirst();
    if (current.isPresent() && !current.get().equals(last)) {
      LOG.warn(
          "{} names {} but {} ends with {}: recording the change (interrupted promotion or manual"
              + " edit)",
          CHAMPION,
          current.get(),
          HISTORY,
          last);
      added.add(
          entry(
              HistoryEntry.RECOVERED,
              current.get(),
              last,
              CHAMPION + " changed without a " + HISTORY + " line"));
    }
    return added;
  }

  private HistoryEntry entry(String action, String version, String previous, String reason) {
    return new HistoryEntry(
        clock.instant().toString(),
        action,
        version,
        previous,
        reason == null || reason.isBlank() ? "(no reason given)" : reason,
        by());
  }

  private void writeChampion(String version) throws IOException {
    files.replace(new Path(root, CHAMPION), (version + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private void appendHistory(List<HistoryEntry> entries) throws IOException {
    Path file = new Path(root, HISTORY);
    StringBuilder text =
        new StringBuilder(new String(files.read(file).orElse(new byte[0]), StandardCharsets.UTF_8));
    if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
      text.append('\n');
    }
    for (HistoryEntry e : entries) {
      text.append(Json.line(e)).append('\n');
    }
    files.replace(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Temporaries of control files left by crashed writers (callers hold the lock). */
  private void cleanUpControlTemporaries() {
    try {
      for (FileStatus s : fs.listStatus(root)) {
        String name = s.getPath().getName();
        for (String control : List.of(CHAMPION, HISTORY, WATERMARK)) {
          if (name.startsWith(HadoopFiles.TMP_PREFIX + control + "-")) {
            LOG.info("Deleting temporary {} left by an interrupted write", s.getPath());
            files.deleteQuietly(s.getPath());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not clean up temporaries in {}: {}", root, e.toString());
    }
  }

  /** Version directories being written for longer than {@code age}: their writer crashed. */
  private void deleteStaleTemporaries(Path dir, Duration age) {
    try {
      long cutoff = clock.millis() - age.toMillis();
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.getPath().getName().startsWith(HadoopFiles.TMP_PREFIX)
            && s.getModificationTime() < cutoff) {
          LOG.info("Deleting stale temporary {}", s.getPath());
          files.deleteQuietly(s.getPath());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not clean up temporaries in {}: {}", dir, e.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> decisionOf(CheckpointManifest m) {
    Object d = m.provenance().get(DECISION_KEY);
    return d instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static String by() {
    return System.getProperty("user.name", "unknown") + "@" + Lease.hostName();
  }

  @Override
  public String toString() {
    return "ModelRegistry[" + uri() + "]";
  }
}
